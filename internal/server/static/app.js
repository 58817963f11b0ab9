// The newsearch search page: reads the search from the URL, asks
// /api/search, and draws hits and facets. Every new search is a new history
// entry (pushState), so the URL can be shared and Back returns to the
// previous search.
'use strict';
(() => {
  const PAGE_SIZE = 10;
  const FACETS = [
    ['category', 'カテゴリ'],
    ['tag', 'タグ'],
    ['person', '人物'],
    ['org', '組織'],
    ['source', '媒体'],
    ['month', '月別'],
  ];
  const FILTER_FIELDS = ['category', 'tag', 'person', 'org', 'source'];
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };

  // --- the search in the URL ------------------------------------------

  function readState() {
    const p = new URLSearchParams(location.search);
    const page = parseInt(p.get('page') || '1', 10);
    return {
      q: p.get('q') || '',
      sort: ['relevance', 'date', '-date'].includes(p.get('sort')) ? p.get('sort') : 'relevance',
      since: p.get('since') || '',
      until: p.get('until') || '',
      page: page > 0 ? page : 1,
      collapse: p.get('collapse') !== 'false',
    };
  }

  function stateURL(s) {
    const p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    if (s.sort !== 'relevance') p.set('sort', s.sort);
    if (s.since) p.set('since', s.since);
    if (s.until) p.set('until', s.until);
    if (s.page > 1) p.set('page', String(s.page));
    if (s.collapse === false) p.set('collapse', 'false');
    const qs = p.toString();
    return '/' + (qs ? '?' + qs : '');
  }

  let current = readState();

  function go(s) {
    history.pushState(null, '', stateURL(s));
    window.scrollTo(0, 0);
    show(s);
  }

  window.addEventListener('popstate', () => show(readState()));

  // --- filters written in the query (category:VALUE, ...) -------------

  const FILTER_RE = /(^|\s)(category|tag|person|org|source)[:：](?:"([^"]*)"|([^\s"()（）]+))/gi;

  function filtersOf(q) {
    const out = [];
    for (const m of q.matchAll(FILTER_RE)) {
      out.push({ field: m[2].toLowerCase(), value: m[3] !== undefined ? m[3] : m[4], text: m[0].trim() });
    }
    return out;
  }

  function filterTerm(field, value) {
    return /[\s"“”＂()（）]/.test(value) ? `${field}:"${value.replace(/["“”＂]/g, '')}"` : `${field}:${value}`;
  }

  function hasFilter(q, field, value) {
    return filtersOf(q).some((f) => f.field === field && f.value === value);
  }

  function withoutFilter(q, field, value) {
    let out = q;
    for (const f of filtersOf(q)) {
      if (f.field === field && f.value === value) out = out.replace(f.text, ' ');
    }
    return out.replace(/\s+/g, ' ').trim();
  }

  function toggleFilter(field, value) {
    const q = hasFilter(current.q, field, value)
      ? withoutFilter(current.q, field, value)
      : (current.q + ' ' + filterTerm(field, value)).trim();
    go({ ...current, q, page: 1 });
  }

  function toggleMonth(month) {
    const on = current.since === month && current.until === month;
    go({ ...current, since: on ? '' : month, until: on ? '' : month, page: 1 });
  }

  // --- fetching ---------------------------------------------------------

  let seq = 0; // the latest search wins; older answers are dropped

  async function getJSON(url) {
    const r = await fetch(url, { headers: { Accept: 'application/json' } });
    let body;
    try {
      body = await r.json();
    } catch {
      body = { error: `HTTP ${r.status}` };
    }
    if (!r.ok) throw new Error(body.error || `HTTP ${r.status}`);
    return body;
  }

  async function show(s) {
    current = s;
    $('q').value = s.q;
    $('sort').value = s.sort;
    document.title = s.q ? `${s.q} - newsearch` : 'newsearch';
    const my = ++seq;
    document.documentElement.dataset.loading = 'true';
    try {
      if (!s.q.trim() && !s.since && !s.until) {
        await showLanding(my);
        return;
      }
      const p = new URLSearchParams({
        q: s.q, sort: s.sort, limit: String(PAGE_SIZE), offset: String((s.page - 1) * PAGE_SIZE), facet: 'all',
      });
      if (s.since) p.set('since', s.since);
      if (s.until) p.set('until', s.until);
      if (s.collapse === false) p.set('collapse', 'false');
      const res = await getJSON('/api/search?' + p);
      if (my !== seq) return;
      drawResult(s, res);
    } catch (e) {
      if (my !== seq) return;
      clearResult();
      message(e.message, true);
    } finally {
      if (my === seq) {
        document.documentElement.dataset.loading = 'false';
        document.documentElement.dataset.shown = stateURL(s);
      }
    }
  }

  // --- drawing ----------------------------------------------------------

  function message(text, isError) {
    const m = $('message');
    m.textContent = text;
    m.classList.toggle('error', !!isError);
    m.hidden = !text;
  }

  function clearResult() {
    $('hits').replaceChildren();
    $('facets').replaceChildren();
    $('chips').hidden = true;
    $('summary').hidden = true;
    $('pager').hidden = true;
    $('landing').hidden = true;
  }

  let stats = null;

  async function showLanding(my) {
    if (!stats) stats = await getJSON('/api/stats');
    if (my !== seq) return;
    clearResult();
    message('');
    const box = $('landing');
    box.replaceChildren();
    box.append(el('h1', '', 'ニュース記事を検索'));
    let line = `${stats.articles.toLocaleString('ja-JP')} 件の記事`;
    if (stats.first_published) line += `（${ymd(stats.first_published)} 〜 ${ymd(stats.last_published)}）`;
    box.append(el('p', '', line + '。語はスペースで区切るとすべてを含む記事、"..." でフレーズ、OR でいずれか、-語 で除外します。'));
    if (stats.categories && stats.categories.length) {
      box.append(el('h3', '', 'カテゴリ'));
      const chips = el('div', 'chips');
      for (const c of stats.categories) {
        const b = el('button', 'chip', `${c.value} (${c.count})`);
        b.type = 'button';
        b.addEventListener('click', () => go({ ...current, q: filterTerm('category', c.value), page: 1 }));
        chips.append(b);
      }
      box.append(chips);
    }
    box.hidden = false;
  }

  function drawResult(s, res) {
    clearResult();
    message((res.notes || []).join(' '));
    $('summary').hidden = false;
    $('total').textContent = res.total.toLocaleString('ja-JP');
    const from = (s.page - 1) * PAGE_SIZE;
    $('range').textContent = res.hits.length ? `${from + 1}–${from + res.hits.length} 件目` : '';
    $('took').textContent = `${res.took_ms.toFixed(1)} ms`;
    drawChips(s);
    const ol = $('hits');
    if (!res.hits.length) {
      ol.append(el('li', 'hit', s.page > 1 ? 'このページには結果がありません。' : '該当する記事はありません。'));
    }
    for (const h of res.hits) ol.append(drawHit(h));
    drawFacets(s, res.facets || {});
    const pages = Math.ceil(res.total / PAGE_SIZE);
    if (pages > 1) {
      $('pager').hidden = false;
      $('prev').disabled = s.page <= 1;
      $('next').disabled = s.page >= pages;
      $('page').textContent = `${s.page} / ${pages} ページ`;
    }
  }

  function drawChips(s) {
    const box = $('chips');
    box.replaceChildren();
    for (const f of filtersOf(s.q)) {
      const b = el('button', 'chip', `${facetLabel(f.field)}: ${f.value}`);
      b.type = 'button';
      b.title = '絞り込みを解除';
      b.addEventListener('click', () => toggleFilter(f.field, f.value));
      box.append(b);
    }
    if (s.since || s.until) {
      const text = s.since === s.until ? s.since : `${s.since || '…'} 〜 ${s.until || '…'}`;
      const b = el('button', 'chip', `${facetLabel('month')}: ${text}`);
      b.type = 'button';
      b.title = '絞り込みを解除';
      b.addEventListener('click', () => go({ ...current, since: '', until: '', page: 1 }));
      box.append(b);
    }
    box.hidden = !box.childElementCount;
  }

  function facetLabel(name) {
    const f = FACETS.find(([n]) => n === name);
    return f ? f[1] : name;
  }

  function drawHit(h) {
    const li = el('li', 'hit');
    li.dataset.id = h.id;
    const h2 = el('h2');
    const href = webURL(h.url);
    const title = href ? el('a') : el('span');
    if (href) {
      title.href = href;
      title.target = '_blank';
      title.rel = 'noopener noreferrer';
    }
    markBytes(title, h.title || h.id, h.title_highlights);
    h2.append(title);
    li.append(h2);

    const meta = el('div', 'meta');
    if (h.published) {
      const t = el('time', '', dateTime(h.published));
      t.dateTime = h.published;
      meta.append(t);
    }
    if (h.category) {
      const c = el('button', 'cat', h.category);
      c.type = 'button';
      c.title = 'このカテゴリで絞り込む';
      c.addEventListener('click', () => toggleFilter('category', h.category));
      meta.append(c);
    }
    if (h.source) meta.append(el('span', 'source', h.source));
    for (const t of h.tags || []) meta.append(el('span', 'tag', '#' + t));
    li.append(meta);

    if (h.via) meta.append(el('span', 'via', `「${h.via}」として一致`));

    const p = el('p', 'snippet');
    p.innerHTML = h.snippet; // HTML from the server: the text escaped, matches in <mark>
    li.append(p);
    if (h.duplicates && h.duplicates.length) li.append(drawDuplicates(h.duplicates));

    const more = el('button', 'more', '全文を表示');
    more.type = 'button';
    const body = el('div', 'body');
    body.hidden = true;
    more.addEventListener('click', async () => {
      if (!body.hidden) {
        body.hidden = true;
        more.textContent = '全文を表示';
        return;
      }
      if (!body.textContent) {
        try {
          const a = await getJSON('/api/articles/' + articlePath(h.id));
          body.textContent = a.body;
          body.append(await drawRelated(h.id));
        } catch (e) {
          body.textContent = e.message;
        }
      }
      body.hidden = false;
      more.textContent = '閉じる';
    });
    li.append(more, body);
    return li;
  }

  // --- what the index learnt: near-duplicates, related articles ---------

  function articlePath(id) {
    return id.split('/').map(encodeURIComponent).join('/');
  }

  // drawDuplicates says how many near-duplicates were folded into a hit,
  // with a button that shows them all.
  function drawDuplicates(ids) {
    const box = el('div', 'dups');
    box.append(el('span', '', `他 ${ids.length} 件の類似記事`));
    box.title = ids.join('\n');
    const all = el('button', 'showall', 'すべて表示');
    all.type = 'button';
    all.addEventListener('click', () => go({ ...current, collapse: false, page: 1 }));
    box.append(all);
    return box;
  }

  // drawRelated returns the 関連記事 section of an article.
  async function drawRelated(id) {
    const sec = el('section', 'related');
    sec.append(el('h3', '', '関連記事'));
    let res;
    try {
      res = await getJSON('/api/articles/' + articlePath(id) + '/related?limit=5');
    } catch (e) {
      sec.append(el('p', '', e.message));
      return sec;
    }
    if (!res.hits.length) {
      sec.append(el('p', '', '関連する記事は見つかりませんでした。'));
      return sec;
    }
    const ul = el('ul');
    for (const h of res.hits) {
      const li = el('li');
      li.dataset.id = h.id;
      const href = webURL(h.url);
      const t = href ? el('a', '', h.title || h.id) : el('span', '', h.title || h.id);
      if (href) {
        t.href = href;
        t.target = '_blank';
        t.rel = 'noopener noreferrer';
      }
      li.append(t);
      const m = [];
      if (h.published) m.push(ymd(h.published));
      if (h.category) m.push(h.category);
      if (m.length) li.append(el('span', 'meta', ' ' + m.join(' · ')));
      ul.append(li);
    }
    sec.append(ul);
    return sec;
  }

  // webURL returns url if it is an absolute http: or https: URL, the only
  // kind the page makes a link: an article's url is what its file said
  // (javascript:, data: or a path on this server are shown as no link).
  function webURL(url) {
    if (!url) return null;
    try {
      const u = new URL(url); // no base: a relative URL throws
      return u.protocol === 'http:' || u.protocol === 'https:' ? url : null;
    } catch {
      return null;
    }
  }

  // markBytes writes text into e with the byte ranges [start, end) of its
  // UTF-8 encoding in <mark>.
  function markBytes(e, text, spans) {
    if (!spans || !spans.length) {
      e.textContent = text;
      return;
    }
    const bytes = new TextEncoder().encode(text);
    const dec = new TextDecoder();
    let at = 0;
    for (const sp of spans) {
      if (sp.start < at || sp.end > bytes.length || sp.start >= sp.end) continue;
      e.append(dec.decode(bytes.subarray(at, sp.start)));
      e.append(el('mark', '', dec.decode(bytes.subarray(sp.start, sp.end))));
      at = sp.end;
    }
    e.append(dec.decode(bytes.subarray(at)));
  }

  function drawFacets(s, facets) {
    const box = $('facets');
    box.replaceChildren();
    for (const [name, label] of FACETS) {
      let counts = facets[name] || [];
      if (!counts.length) continue;
      if (name === 'month') counts = [...counts].reverse(); // newest first
      const top = Math.max(...counts.map((c) => c.count));
      const sec = el('section', 'facet ' + name);
      sec.append(el('h3', '', label));
      const ul = el('ul');
      for (const c of counts) {
        const active = name === 'month'
          ? s.since === c.value && s.until === c.value
          : FILTER_FIELDS.includes(name) && hasFilter(s.q, name, c.value);
        const b = el('button');
        b.type = 'button';
        b.dataset.facet = name;
        b.dataset.value = c.value;
        b.classList.toggle('active', active);
        b.append(el('span', 'v', name === 'month' ? monthLabel(c.value) : c.value), el('span', 'n', String(c.count)));
        if (name === 'month') {
          const bar = el('span', 'barline');
          bar.style.width = `${Math.max(3, Math.round((c.count / top) * 100))}%`;
          b.append(bar);
        }
        b.title = active ? '絞り込みを解除' : '絞り込む';
        b.addEventListener('click', () => (name === 'month' ? toggleMonth(c.value) : toggleFilter(name, c.value)));
        const li = el('li');
        li.append(b);
        ul.append(li);
      }
      sec.append(ul);
      box.append(sec);
    }
  }

  // Dates come as RFC 3339 in JST; they are shown as written.
  function ymd(iso) {
    return iso.slice(0, 10);
  }

  function dateTime(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
    return m ? `${m[1]}年${+m[2]}月${+m[3]}日 ${m[4]}:${m[5]}` : iso;
  }

  function monthLabel(v) {
    const m = /^(\d{4})-(\d{2})$/.exec(v);
    return m ? `${m[1]}年${+m[2]}月` : v;
  }

  // --- controls -----------------------------------------------------------

  $('search').addEventListener('submit', (ev) => {
    ev.preventDefault();
    go({ ...current, q: $('q').value.trim(), page: 1 });
  });
  $('sort').addEventListener('change', () => go({ ...current, sort: $('sort').value, page: 1 }));
  $('prev').addEventListener('click', () => go({ ...current, page: Math.max(1, current.page - 1) }));
  $('next').addEventListener('click', () => go({ ...current, page: current.page + 1 }));

  show(current);
})();
