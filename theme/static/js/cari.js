// Warta search page: a small UI over Pagefind's JS API, first-party, no third party.
//
// The archive is indexed as several Pagefind bundles (runs of consecutive months of at most
// WARTA_SEARCH_BUNDLE_MAX_PAGES articles; see plugins/warta/search/pagefind.py), listed newest first
// in pagefind/bundles.json. Each bundle is its own Pagefind instance (its own pagefind.js).
// Relevance: merge every bundle's results by score. Date: bundles cover disjoint date ranges, so
// concatenating their date-sorted results in bundle order is the global date order (Pagefind's
// mergeIndex re-sorts by score and cannot).
// Every string shown comes from the page (#cari-teks), in Indonesian.

const PAGE_SIZE = 10;
const root = document.getElementById("pencarian");
const T = JSON.parse(document.getElementById("cari-teks").textContent);
const form = root.querySelector("form");
const input = document.getElementById("cari-q");
const sortSelect = document.getElementById("cari-urut");
const filterSelects = [...root.querySelectorAll("select[data-filter]")];
const status = document.getElementById("cari-status");
const list = document.getElementById("cari-hasil");
const more = document.getElementById("cari-lagi");

const fill = (template, values) =>
  template.replace(/\[([A-Z_]+)\]/g, (m, key) => (key in values ? values[key] : m));

let instances = null;
let ready = null;
let current = [];
let shown = 0;
let searchId = 0;

async function load() {
  const base = new URL(root.dataset.base, location.href);
  const response = await fetch(new URL(root.dataset.manifest, location.href));
  if (!response.ok) throw new Error("manifest " + response.status);
  const manifest = await response.json();
  instances = await Promise.all(manifest.bundles.map(async (bundle) => {
    const pf = await import(new URL(bundle.path + "pagefind.js", base).href);
    await pf.options({ excerptLength: 24 });
    await pf.init();
    return pf;
  }));
}

// The filter values are in the page (written at build time), so opening /cari/ downloads no
// Pagefind data: the bundles load on the first interaction, and a search fetches only the index
// chunks of its words and the filter chunks of the filters it uses.
function start() {
  if (!ready) {
    ready = load().catch((error) => {
      status.textContent = T.unavailable;
      throw error;
    });
  }
  return ready;
}

function mergeCounts(all) {
  const out = {};
  for (const filters of all) {
    for (const [key, values] of Object.entries(filters || {})) {
      out[key] = out[key] || {};
      for (const [value, n] of Object.entries(values)) out[key][value] = (out[key][value] || 0) + n;
    }
  }
  return out;
}

function chosenFilters() {
  const filters = {};
  for (const select of filterSelects) if (select.value) filters[select.dataset.filter] = select.value;
  return filters;
}

function restoreFromUrl() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  for (const select of filterSelects) {
    const v = params.get(select.dataset.filter);
    if (v && [...select.options].some((o) => o.value === v)) select.value = v;
  }
  const sort = params.get("urut");
  if (sort && [...sortSelect.options].some((o) => o.value === sort)) sortSelect.value = sort;
  if (input.value.trim() || Object.keys(chosenFilters()).length) run();
}

function rememberInUrl(term, filters) {
  const params = new URLSearchParams();
  if (term) params.set("q", term);
  for (const [k, v] of Object.entries(filters)) params.set(k, v);
  if (sortSelect.value !== "relevansi") params.set("urut", sortSelect.value);
  const query = params.toString();
  history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
}

async function run() {
  const id = ++searchId;
  const term = input.value.trim();
  const filters = chosenFilters();
  rememberInUrl(term, filters);
  if (!term && !Object.keys(filters).length) {
    list.replaceChildren();
    more.hidden = true;
    status.textContent = "";
    return;
  }
  status.textContent = fill(T.searching, { SEARCH_TERM: term || "…" });
  try {
    await start();
    const sort = sortSelect.value === "relevansi" ? undefined
      : { date: sortSelect.value === "terbaru" ? "desc" : "asc" };
    const options = { filters, ...(sort ? { sort } : {}) };
    const responses = await Promise.all(instances.map((pf) => pf.search(term || null, options)));
    if (id !== searchId) return;
    let results;
    if (sort) {
      const ordered = sort.date === "desc" ? responses : [...responses].reverse();
      results = ordered.flatMap((r) => r.results);
    } else {
      results = responses.flatMap((r) => r.results).sort((a, b) => b.score - a.score);
    }
    current = results;
    shown = 0;
    list.replaceChildren();
    const counts = mergeCounts(responses.map((r) => r.filters));
    for (const select of filterSelects) updateCounts(select, counts[select.dataset.filter]);
    const label = term || T.filtered;
    status.textContent = results.length === 0 ? fill(T.zero_results, { SEARCH_TERM: label })
      : fill(T.many_results, { COUNT: results.length.toLocaleString("id-ID"), SEARCH_TERM: label });
    await showMore(false);
  } catch (error) {
    if (id === searchId) status.textContent = T.error_search;
  }
}

// Counts come only for filters the search used (their chunks were loaded); others show no count.
function updateCounts(select, counts) {
  for (const option of select.options) {
    if (!option.value) continue;
    option.textContent = counts
      ? `${option.value} (${(counts[option.value] || 0).toLocaleString("id-ID")})` : option.value;
  }
}

// Pagefind's excerpt is text with <mark> around matches: keep only text and <mark>.
function excerptNodes(html) {
  const tpl = document.createElement("template");
  tpl.innerHTML = html;
  const out = [];
  for (const node of tpl.content.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.push(mark);
    } else {
      out.push(document.createTextNode(node.textContent));
    }
  }
  return out;
}

function item(data) {
  const li = document.createElement("li");
  li.className = "kartu";
  const h = document.createElement("h2");
  h.className = "judul-hasil";
  const a = document.createElement("a");
  a.href = data.url;
  a.textContent = data.meta.title || data.url;
  h.append(a);
  const meta = document.createElement("p");
  meta.className = "meta";
  meta.textContent = [data.meta.sumber, data.meta.tanggal].filter(Boolean).join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "ringkas";
  excerpt.append(...excerptNodes(data.excerpt || ""));
  li.append(h, meta, excerpt);
  return li;
}

async function showMore(moveFocus) {
  const id = searchId;
  const batch = current.slice(shown, shown + PAGE_SIZE);
  const datas = await Promise.all(batch.map((r) => r.data()));
  if (id !== searchId) return;
  const items = datas.map(item);
  list.append(...items);
  shown += batch.length;
  more.hidden = shown >= current.length;
  if (moveFocus && items.length) items[0].querySelector("a").focus();
}

let timer = null;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(run, 250);
});
for (const select of [...filterSelects, sortSelect]) select.addEventListener("change", run);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  run();
});
more.addEventListener("click", () => showMore(true));
for (const el of [input, ...filterSelects, sortSelect]) el.addEventListener("focus", start, { once: true });
restoreFromUrl();
