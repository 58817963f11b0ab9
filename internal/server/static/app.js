// The newsearch search page: reads the search from the URL, asks
// /api/search, and draws hits and facets; /articles/ID shows one article
// with the query's matches. A search typed and sent is a new history entry
// (pushState), so the URL can be shared and Back returns to the previous
// search; while typing, results follow the box (after the IME has finished
// composing) and replace the current entry.
'use strict';
(() => {
  const PAGE_SIZE = 10;
  const TYPE_DELAY = 300; // ms after the last keystroke before searching
  const SUGGEST_DELAY = 120;
  const FACETS = [
    ['category', 'カテゴリ'],
    ['month', '期間'],
    ['person', '人物'],
    ['org', '組織'],
    ['tag', 'タグ'],
    ['source', '媒体'],
  ];
  const FILTER_FIELDS = ['category', 'tag', 'person', 'org', 'source'];
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const root = document.documentElement;

  // --- messages in Japanese, keyed by the codes of the API -------------

  const quoteJ = (w) => `「${w}」`;

  function syntaxMessage(e) {
    switch (e.reason) {
      case 'unterminated_quote': return '引用符 " が閉じていません。フレーズの終わりに " を加えてください。';
      case 'unmatched_open': return '「(」に対応する「)」がありません。';
      case 'unmatched_close': return '「)」に対応する「(」がありません。';
      case 'empty_group': return '( ) の中に語がありません。';
      case 'dangling_operator': return 'OR や AND の両側に語を置いてください。';
      case 'missing_value': return `「${e.field}:」の後に値を書いてください（例: ${e.field}:値）。`;
      case 'dangling_minus': return '「-」の後に除外する語を書いてください。';
      case 'expected_word': return 'ここに語が必要です。';
      case 'unexpected': return `${quoteJ(e.token || '')}はここには書けません。`;
      case 'too_long': return '検索語が長すぎます（1000文字まで）。';
      case 'too_many_terms': return '語・フレーズ・絞り込みが多すぎます（64個まで）。';
      case 'bad_date': return `「${e.field}:」の日付が読めないか、検索できる範囲（1678〜2261年）の外です。2012-01-31、2012-01、2012 の形で書いてください。`;
    }
    return '検索語の書き方に誤りがあります。';
  }

  function errorMessage(e) {
    switch (e.code) {
      case 'syntax': return syntaxMessage(e);
      case 'bad_parameter': return e.param ? `パラメータ「${e.param}」の値が正しくありません。` : 'URL の書き方が正しくありません。';
      case 'not_found': return '記事が見つかりません。削除されたか、ID が違います。';
      case 'timeout': return '検索に時間がかかりすぎました。語を減らして、もう一度お試しください。';
      case 'unavailable': return 'サーバーが停止中です。しばらくしてからお試しください。';
      case 'damaged': return '索引が壊れています。管理者に連絡してください（newsearch index --rebuild で作り直せます）。';
      case 'internal': return 'サーバーで内部エラーが起きました。もう一度お試しください。';
      case 'network': return 'サーバーに接続できません。';
    }
    return `エラーが発生しました（${e.code || '不明'}）。`;
  }

  function noticeMessage(n) {
    const words = (n.words || []).map(quoteJ).join('');
    switch (n.code) {
      case 'left_out': return `${words}の${(n.left || []).map(quoteJ).join('')}は語の前後にあるため、検索に使いませんでした。`;
      case 'nothing_to_search': return `${words}は助詞や記号だけなので、検索から外しました。`;
      case 'relaxed_phrases': return `${words}をこのとおりに含む記事はありません。語が離れていても含む記事を表示しています。`;
      case 'relaxed_words': return n.min > 1
        ? `${words}をすべて含む記事はありません。このうち ${n.min} 語を含む記事を表示しています。`
        : `${words}をすべて含む記事はありません。いずれかを含む記事を表示しています。`;
    }
    return n.message;
  }

  class APIError extends Error {
    constructor(e, status) {
      super(e.message || `HTTP ${status}`);
      this.detail = e;
      this.status = status;
    }
  }

  async function getJSON(url) {
    let r;
    try {
      r = await fetch(url, { headers: { Accept: 'application/json' } });
    } catch {
      throw new APIError({ code: 'network' }, 0);
    }
    let body;
    try {
      body = await r.json();
    } catch {
      body = { error: { code: 'internal', message: `HTTP ${r.status}` } };
    }
    if (!r.ok) throw new APIError(body.error || { code: 'internal' }, r.status);
    return body;
  }

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

  function articleURL(id, q) {
    return '/articles/' + id.split('/').map(encodeURIComponent).join('/') + (q ? '?' + new URLSearchParams({ q }) : '');
  }

  let current = readState();

  // typingEntry is set when the results that follow typing have their
  // history entry: the next ones replace it, so that Back leaves the word
  // being typed at once.
  let typingEntry = false;

  // go shows a search as a new history entry (replace: as the current one,
  // for results that follow typing).
  function go(s, replace) {
    if (replace) history.replaceState(null, '', stateURL(s));
    else {
      typingEntry = false;
      rememberScroll();
      history.pushState(null, '', stateURL(s));
      window.scrollTo(0, 0);
    }
    show(s);
  }

  // rememberScroll keeps the scroll position in the current history entry,
  // for Back to find it.
  function rememberScroll() {
    history.replaceState({ ...(history.state || {}), scroll: window.scrollY }, '');
  }

  window.addEventListener('popstate', () => {
    typingEntry = false;
    route();
  });

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

  // --- dates: one format everywhere ------------------------------------

  function monthLabel(v) {
    const m = /^(\d{4})-(\d{2})$/.exec(v);
    return m ? `${m[1]}年${+m[2]}月` : v;
  }

  function dateLabel(v) {
    let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    if (m) return `${m[1]}年${+m[2]}月${+m[3]}日`;
    m = /^(\d{4})$/.exec(v);
    return m ? `${m[1]}年` : monthLabel(v);
  }

  function rangeLabel(since, until) {
    if (since && since === until) return dateLabel(since);
    return `${since ? dateLabel(since) : ''}〜${until ? dateLabel(until) : ''}`;
  }

  // Dates come as RFC 3339 in JST; they are shown as written.
  function dateTime(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
    if (!m) return iso;
    const day = `${m[1]}年${+m[2]}月${+m[3]}日`;
    return m[4] === '00' && m[5] === '00' ? day : `${day} ${m[4]}:${m[5]}`;
  }

  // --- showing a search ---------------------------------------------------

  let seq = 0; // the latest request wins; older answers are dropped
  let categoryNames = {};
  const catName = (v) => categoryNames[v] || v;

  function loading(on) {
    root.dataset.loading = on ? 'true' : 'false';
    $('results').setAttribute('aria-busy', on ? 'true' : 'false');
  }

  function route() {
    if (location.pathname.startsWith('/articles/')) {
      const id = location.pathname.slice('/articles/'.length).split('/').map(decodeURIComponent).join('/');
      showArticle(id, new URLSearchParams(location.search).get('q') || '');
    } else {
      show(readState());
    }
  }

  async function show(s) {
    current = s;
    readerMode(false);
    if (document.activeElement !== $('q')) $('q').value = s.q;
    $('sort').value = s.sort;
    document.title = s.q ? `${s.q} - newsearch` : 'newsearch';
    const my = ++seq;
    loading(true);
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
      // with dates chosen, the chart still shows every month of the
      // query, so that the range can be changed: a count of its own
      const monthsOnly = s.since || s.until
        ? getJSON('/api/search?' + new URLSearchParams({ q: s.q, limit: '0', facet: 'month' })).catch(() => null)
        : null;
      const res = await getJSON('/api/search?' + p);
      const all = await monthsOnly;
      if (my !== seq) return;
      if (all && all.facets && all.facets.month) res.facets = { ...res.facets, month: all.facets.month };
      const pages = Math.ceil(res.total / PAGE_SIZE);
      if (s.page > 1 && s.page > pages && res.total > 0) {
        // ?page=999 of 46: the last page, said so
        const last = { ...s, page: Math.min(pages, Math.floor(100000 / PAGE_SIZE)) };
        history.replaceState(history.state, '', stateURL(last));
        await show(last);
        message(`${s.page} ページ目はありません。最後のページ（${last.page} ページ目）を表示しています。`);
        return;
      }
      drawResult(s, res);
      const y = history.state && history.state.scroll;
      if (y) requestAnimationFrame(() => window.scrollTo(0, y));
    } catch (e) {
      if (my !== seq) return;
      clearResult();
      showError(e, s.q);
    } finally {
      if (my === seq) {
        loading(false);
        root.dataset.shown = stateURL(s);
      }
    }
  }

  function message(text) {
    const m = $('message');
    m.replaceChildren();
    if (Array.isArray(text)) {
      for (const t of text) m.append(el('p', '', t));
    } else if (text) {
      m.append(el('p', '', text));
    }
    m.hidden = !m.childElementCount;
  }

  // showError says what went wrong in Japanese; a syntax error marks the
  // column in the query, and in the box.
  function showError(e, q) {
    const d = e.detail || { code: 'internal' };
    const box = $('query-error');
    box.replaceChildren(el('p', '', errorMessage(d)));
    if (d.code === 'syntax' && d.column > 0 && q) {
      const chars = [...q];
      const at = Math.min(d.column - 1, chars.length);
      const shown = el('p', 'where');
      const code = el('code');
      code.append(chars.slice(0, at).join(''));
      const mark = el('mark', 'at', chars[at] || ' ');
      code.append(mark, chars.slice(at + 1).join(''));
      shown.append(code, el('span', 'col', `${d.column} 文字目`));
      box.append(shown);
      const input = $('q');
      input.setAttribute('aria-invalid', 'true');
      const before = chars.slice(0, at).join('').length;
      if (document.activeElement === input) input.setSelectionRange(before, before + (chars[at] || '').length);
    }
    box.hidden = false;
    $('status').textContent = errorMessage(d);
  }

  function clearResult() {
    $('hits').replaceChildren();
    $('facet-list').replaceChildren();
    $('chips').hidden = true;
    $('summary').hidden = true;
    $('pager').hidden = true;
    $('landing').hidden = true;
    $('help').hidden = true;
    $('query-error').hidden = true;
    $('q').removeAttribute('aria-invalid');
    message('');
  }

  let stats = null;

  async function showLanding(my) {
    if (!stats) stats = await getJSON('/api/stats');
    if (my !== seq) return;
    categoryNames = { ...categoryNames, ...(stats.category_names || {}) };
    clearResult();
    const box = $('landing');
    box.replaceChildren();
    box.append(el('h1', '', 'ニュース記事を検索'));
    let line = `${stats.articles.toLocaleString('ja-JP')} 件の記事`;
    if (stats.first_published) line += `（${dateTime(stats.first_published.slice(0, 10) + 'T00:00')} 〜 ${dateTime(stats.last_published.slice(0, 10) + 'T00:00')}）`;
    box.append(el('p', '', line + '。語をスペースで区切るとすべてを含む記事、"..." でフレーズ、OR でいずれか、-語 で除外します。'));
    if (stats.categories && stats.categories.length) {
      box.append(el('h2', '', 'カテゴリ'));
      const chips = el('div', 'chips');
      for (const c of stats.categories) {
        const b = el('button', 'chip plain', `${catName(c.value)} (${c.count})`);
        b.type = 'button';
        b.addEventListener('click', () => go({ ...current, q: filterTerm('category', c.value), page: 1 }));
        chips.append(b);
      }
      box.append(chips);
    }
    box.hidden = false;
    $('status').textContent = '';
  }

  function drawResult(s, res) {
    clearResult();
    categoryNames = { ...categoryNames, ...(res.category_names || {}) };
    message((res.notices || []).map(noticeMessage));
    $('summary').hidden = false;
    $('total').textContent = res.total.toLocaleString('ja-JP');
    const from = (s.page - 1) * PAGE_SIZE;
    $('range').textContent = res.hits.length ? `${from + 1}–${from + res.hits.length} 件目` : '';
    $('took').textContent = `${res.took_ms.toFixed(1)} ms`;
    drawChips(s);
    const ol = $('hits');
    for (const h of res.hits) ol.append(drawHit(h, s.q));
    if (!res.total) drawHelp(s, res);
    else if (res.correction) drawCorrection($('help'), res.correction, true);
    drawFacets(s, res.facets || {});
    const pages = Math.ceil(res.total / PAGE_SIZE);
    if (pages > 1) {
      $('pager').hidden = false;
      $('prev').disabled = s.page <= 1;
      $('next').disabled = s.page >= pages;
      $('page').textContent = `${s.page} / ${pages} ページ`;
    }
    $('status').textContent = res.total
      ? `${quoteJ(s.q || rangeLabel(s.since, s.until))}の検索結果 ${res.total.toLocaleString('ja-JP')} 件${res.relaxed ? '（条件をゆるめた結果）' : ''}`
      : `${quoteJ(s.q)}に一致する記事はありません`;
  }

  function drawCorrection(box, c, alone) {
    const p = el('p', 'correction');
    p.append('もしかして: ');
    const a = el('a', '', c.query);
    a.href = stateURL({ ...current, q: c.query, page: 1 });
    a.addEventListener('click', (ev) => {
      if (ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
      ev.preventDefault();
      go({ ...current, q: c.query, page: 1 });
    });
    p.append(a);
    if (alone) box.replaceChildren(p);
    else box.append(p);
    box.hidden = false;
  }

  // drawHelp: nothing matched. What was searched, the filters to remove,
  // a correction, and what else to try.
  function drawHelp(s, res) {
    const box = $('help');
    box.replaceChildren();
    box.append(el('h2', '', `${quoteJ(s.q || rangeLabel(s.since, s.until))}に一致する記事は見つかりませんでした`));
    if (res.correction) drawCorrection(box, res.correction, false);
    const filters = filtersOf(s.q);
    if (filters.length || s.since || s.until) {
      box.append(el('p', '', '絞り込みを外して探す:'));
      const row = el('div', 'chips');
      for (const f of filters) {
        const b = el('button', 'chip', `${facetLabel(f.field)}: ${f.field === 'category' ? catName(f.value) : f.value}`);
        b.type = 'button';
        b.title = 'この絞り込みを外す';
        b.addEventListener('click', () => toggleFilter(f.field, f.value));
        row.append(b);
      }
      if (s.since || s.until) {
        const b = el('button', 'chip', `期間: ${rangeLabel(s.since, s.until)}`);
        b.type = 'button';
        b.title = 'この絞り込みを外す';
        b.addEventListener('click', () => go({ ...current, since: '', until: '', page: 1 }));
        row.append(b);
      }
      if (filters.length + (s.since || s.until ? 1 : 0) > 1) {
        const all = el('button', 'chip', 'すべて外す');
        all.type = 'button';
        all.addEventListener('click', () => {
          let q = s.q;
          for (const f of filters) q = withoutFilter(q, f.field, f.value);
          go({ ...current, q, since: '', until: '', page: 1 });
        });
        row.append(all);
      }
      box.append(row);
    }
    const tips = el('ul', 'tips');
    for (const t of [
      '語を減らすか、より一般的な語にしてみてください。',
      '別の書き方（カタカナ・漢字・英語）でも探してみてください。',
      'どれかを含めばよいときは OR でつなぎます（例: iPad OR iPhone）。',
    ]) tips.append(el('li', '', t));
    box.append(tips);
    box.hidden = false;
  }

  function drawChips(s) {
    const box = $('chips');
    box.replaceChildren();
    for (const f of filtersOf(s.q)) {
      const b = el('button', 'chip', `${facetLabel(f.field)}: ${f.field === 'category' ? catName(f.value) : f.value}`);
      b.type = 'button';
      b.title = '絞り込みを解除';
      b.setAttribute('aria-label', `${b.textContent} の絞り込みを解除`);
      b.addEventListener('click', () => toggleFilter(f.field, f.value));
      box.append(b);
    }
    if (s.since || s.until) {
      const b = el('button', 'chip', `期間: ${rangeLabel(s.since, s.until)}`);
      b.type = 'button';
      b.title = '絞り込みを解除';
      b.setAttribute('aria-label', `${b.textContent} の絞り込みを解除`);
      b.addEventListener('click', () => go({ ...current, since: '', until: '', page: 1 }));
      box.append(b);
    }
    box.hidden = !box.childElementCount;
  }

  function facetLabel(name) {
    const f = FACETS.find(([n]) => n === name);
    return f ? f[1] : name;
  }

  function drawHit(h, q) {
    const li = el('li', 'hit');
    li.dataset.id = h.id;
    const h2 = el('h2');
    const title = el('a', 'title');
    title.href = articleURL(h.id, q);
    title.addEventListener('click', (ev) => {
      if (ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.button) return;
      ev.preventDefault();
      openArticle(h.id, q);
    });
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
      const c = el('button', 'cat', catName(h.category));
      c.type = 'button';
      c.title = 'このカテゴリで絞り込む';
      c.addEventListener('click', () => toggleFilter('category', h.category));
      meta.append(c);
    }
    if (h.source) meta.append(el('span', 'source', h.source));
    for (const t of h.tags || []) meta.append(el('span', 'tag', '#' + t));
    const href = webURL(h.url);
    if (href) {
      const a = el('a', 'orig', '元記事');
      a.href = href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.setAttribute('aria-label', `元記事（${new URL(href).host}）`);
      meta.append(a);
    }
    li.append(meta);

    if (h.via) meta.append(el('span', 'via', `「${h.via}」として一致`));

    const p = el('p', 'snippet');
    p.innerHTML = h.snippet; // HTML from the server: the text escaped, matches in <mark>
    li.append(p);
    if (h.duplicates && h.duplicates.length) li.append(drawDuplicates(h.duplicates));
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
      sec.append(el('p', 'error', errorMessage(e.detail || {})));
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
      const t = el('a', '', h.title || h.id);
      t.href = articleURL(h.id, '');
      t.addEventListener('click', (ev) => {
        if (ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.button) return;
        ev.preventDefault();
        openArticle(h.id, '');
      });
      li.append(t);
      const m = [];
      if (h.published) m.push(dateTime(h.published));
      if (h.category) m.push(catName(h.category));
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
    e.replaceChildren();
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

  // --- facets ------------------------------------------------------------

  function drawFacets(s, facets) {
    const box = $('facet-list');
    box.replaceChildren();
    for (const [name, label] of FACETS) {
      const counts = facets[name] || [];
      if (!counts.length) continue;
      const sec = el('section', 'facet ' + name);
      const h = el('h3', '', label);
      h.id = 'facet-' + name;
      sec.append(h);
      if (name === 'month') {
        sec.append(histogram(s, counts));
      } else {
        const ul = el('ul');
        for (const c of counts) {
          const active = FILTER_FIELDS.includes(name) && hasFilter(s.q, name, c.value);
          const b = el('button');
          b.type = 'button';
          b.dataset.facet = name;
          b.dataset.value = c.value;
          b.classList.toggle('active', active);
          b.setAttribute('aria-pressed', active ? 'true' : 'false');
          const shown = name === 'category' ? catName(c.value) : c.value;
          b.append(el('span', 'v', shown), el('span', 'n', String(c.count)));
          if (shown !== c.value) b.title = c.value;
          b.addEventListener('click', () => toggleFilter(name, c.value));
          const li = el('li');
          li.append(b);
          ul.append(li);
        }
        sec.append(ul);
      }
      box.append(sec);
    }
  }

  // months returns every month from the first to the last, those without
  // hits at 0.
  function months(counts) {
    const by = new Map(counts.map((c) => [c.value, c.count]));
    const vals = counts.map((c) => c.value).filter((v) => /^\d{4}-\d{2}$/.test(v)).sort();
    if (!vals.length) return counts;
    const out = [];
    let [y, m] = vals[0].split('-').map(Number);
    const [ly, lm] = vals[vals.length - 1].split('-').map(Number);
    while (y < ly || (y === ly && m <= lm)) {
      const v = `${y}-${String(m).padStart(2, '0')}`;
      out.push({ value: v, count: by.get(v) || 0 });
      if (++m > 12) { m = 1; y++; }
      if (out.length > 1200) break; // a hundred years is enough
    }
    return out;
  }

  // histogram draws the months as a bar chart. A click selects a month; a
  // second click on another month while one is selected, or a drag across
  // months, selects the range between them.
  function histogram(s, counts) {
    const all = months(counts);
    const top = Math.max(1, ...all.map((c) => c.count));
    const wrap = el('div', 'histogram');
    const hint = el('p', 'hint', '月をクリックで選択、2つ目のクリックかドラッグで期間を選択');
    hint.id = 'histogram-hint';
    const bars = el('div', 'bars');
    bars.setAttribute('role', 'group');
    bars.setAttribute('aria-labelledby', 'facet-month');
    bars.setAttribute('aria-describedby', 'histogram-hint');
    const selected = (v) => (s.since && s.since.slice(0, 7) <= v) && (s.until && v <= s.until.slice(0, 7));
    let dragFrom = null;
    const pick = (a, b) => {
      const [from, to] = a <= b ? [a, b] : [b, a];
      go({ ...current, since: from, until: to, page: 1 });
    };
    for (const c of all) {
      const b = el('button', 'bar');
      b.type = 'button';
      b.dataset.month = c.value;
      b.classList.toggle('active', !!selected(c.value));
      b.classList.toggle('empty', c.count === 0);
      b.setAttribute('aria-label', `${monthLabel(c.value)}: ${c.count} 件`);
      b.title = `${monthLabel(c.value)}: ${c.count} 件`;
      const fill = el('span', 'fill');
      fill.style.height = `${c.count ? Math.max(4, Math.round((c.count / top) * 100)) : 0}%`;
      b.append(fill);
      if (/-01$/.test(c.value) || c === all[0]) b.append(el('span', 'tick', c === all[0] ? monthLabel(c.value) : c.value.slice(0, 4)));
      b.addEventListener('mousedown', (ev) => {
        if (ev.button === 0) dragFrom = c.value;
      });
      b.addEventListener('mouseup', (ev) => {
        if (ev.button !== 0 || dragFrom === null) return;
        const from = dragFrom;
        dragFrom = null;
        if (from !== c.value) {
          ev.preventDefault();
          pick(from, c.value);
          b.dataset.dragged = 'true';
        }
      });
      b.addEventListener('click', () => {
        if (b.dataset.dragged) {
          delete b.dataset.dragged;
          return;
        }
        const single = s.since && s.since === s.until && /^\d{4}-\d{2}$/.test(s.since);
        if (single && s.since === c.value) go({ ...current, since: '', until: '', page: 1 });
        else if (single) pick(s.since, c.value);
        else pick(c.value, c.value);
      });
      bars.append(b);
    }
    wrap.append(bars, hint);
    if (s.since || s.until) {
      const clear = el('button', 'chip', `期間: ${rangeLabel(s.since, s.until)}`);
      clear.type = 'button';
      clear.setAttribute('aria-label', `期間 ${rangeLabel(s.since, s.until)} の絞り込みを解除`);
      clear.addEventListener('click', () => go({ ...current, since: '', until: '', page: 1 }));
      wrap.append(clear);
    }
    requestAnimationFrame(() => {
      const on = bars.querySelector('.active');
      bars.scrollLeft = on ? on.offsetLeft - bars.clientWidth / 2 : bars.scrollWidth;
    });
    return wrap;
  }

  // the facets are a drawer on narrow screens
  function drawer(open) {
    $('facets').classList.toggle('open', open);
    $('open-facets').setAttribute('aria-expanded', open ? 'true' : 'false');
    root.classList.toggle('drawer-open', open);
    if (open) $('close-facets').focus();
  }
  $('open-facets').addEventListener('click', () => drawer(true));
  $('close-facets').addEventListener('click', () => {
    drawer(false);
    $('open-facets').focus();
  });

  // --- an article ----------------------------------------------------------

  function openArticle(id, q) {
    rememberScroll();
    history.pushState({ fromResults: true }, '', articleURL(id, q));
    showArticle(id, q);
  }

  function readerMode(on) {
    $('reader').hidden = !on;
    $('results').hidden = on;
    $('facets').hidden = on;
    root.classList.toggle('reading', on);
    if (!on) drawer(false);
  }

  let matchAt = -1;

  async function showArticle(id, q) {
    const my = ++seq;
    readerMode(true);
    clearResult();
    $('q').value = q;
    current = { ...readState(), q, page: 1 };
    loading(true);
    try {
      const a = await getJSON('/api/articles/' + id.split('/').map(encodeURIComponent).join('/') + (q ? '?' + new URLSearchParams({ q }) : ''));
      if (my !== seq) return;
      if (a.category && a.category_name) categoryNames[a.category] = a.category_name;
      document.title = `${a.title} - newsearch`;
      markBytes($('reader-title'), a.title || a.id, a.title_highlights);
      const meta = $('reader-meta');
      meta.replaceChildren();
      if (a.published) {
        const t = el('time', '', dateTime(a.published));
        t.dateTime = a.published;
        meta.append(t);
      }
      if (a.category) meta.append(el('span', 'cat', catName(a.category)));
      if (a.source) meta.append(el('span', 'source', a.source));
      const href = webURL(a.url);
      if (href) {
        const l = el('a', 'orig', `元記事を開く（${new URL(href).host}）`);
        l.href = href;
        l.target = '_blank';
        l.rel = 'noopener noreferrer';
        meta.append(l);
      }
      markBytes($('reader-body'), a.body, a.highlights);
      $('reader-related').replaceChildren();
      drawRelated(id).then((sec) => { if (my === seq) $('reader-related').replaceChildren(sec); });
      const n = $('reader').querySelectorAll('mark').length;
      matchAt = -1;
      $('next-match').hidden = !n;
      $('match-count').textContent = n ? `一致 ${n} 件` : (q ? '本文に一致する箇所はありません' : '');
      window.scrollTo(0, 0);
      $('reader-title').setAttribute('tabindex', '-1');
      $('reader-title').focus({ preventScroll: true });
      $('status').textContent = `記事: ${a.title}`;
    } catch (e) {
      if (my !== seq) return;
      $('reader-title').textContent = '';
      $('reader-meta').replaceChildren();
      $('reader-body').replaceChildren(el('p', 'error', errorMessage(e.detail || {})));
      $('reader-related').replaceChildren();
      $('next-match').hidden = true;
      $('match-count').textContent = '';
    } finally {
      if (my === seq) {
        loading(false);
        root.dataset.shown = location.pathname + location.search;
      }
    }
  }

  function nextMatch() {
    const marks = [...$('reader').querySelectorAll('mark')];
    if (!marks.length) return;
    if (matchAt >= 0 && marks[matchAt]) marks[matchAt].classList.remove('current');
    matchAt = (matchAt + 1) % marks.length;
    const m = marks[matchAt];
    m.classList.add('current');
    m.scrollIntoView({ block: 'center' });
    $('match-count').textContent = `一致 ${matchAt + 1} / ${marks.length}`;
  }
  $('next-match').addEventListener('click', nextMatch);

  function backToResults() {
    if (history.state && history.state.fromResults) history.back();
    else go({ ...readState(), q: current.q, page: 1 });
  }
  $('back').addEventListener('click', backToResults);
  $('back-end').addEventListener('click', backToResults);

  // --- typing: results and suggestions follow the box --------------------

  const input = $('q');
  let composing = false;
  let typeTimer = 0;
  let suggestTimer = 0;

  function typed() {
    clearTimeout(typeTimer);
    clearTimeout(suggestTimer);
    if (composing) return; // the IME has not decided yet
    const q = input.value.trim();
    suggestTimer = setTimeout(() => suggest(input.value), SUGGEST_DELAY);
    typeTimer = setTimeout(() => {
      if (q === current.q.trim() && !root.classList.contains('reading')) return;
      if (!q && !current.q) return;
      go({ ...current, q, page: 1 }, typingEntry && !root.classList.contains('reading'));
      typingEntry = true;
    }, TYPE_DELAY);
  }

  input.addEventListener('compositionstart', () => {
    composing = true;
    clearTimeout(typeTimer);
    clearTimeout(suggestTimer);
  });
  input.addEventListener('compositionend', () => {
    composing = false;
    typed();
  });
  input.addEventListener('input', (ev) => {
    if (ev.isComposing) return;
    typed();
  });

  // suggestions for the word being typed (after the last space)
  let suggestSeq = 0;
  let options = [];
  let active = -1;

  function lastWord(v) {
    const m = /(^|\s)(-?)([^\s"()（）:：-][^\s"()（）]*)$/.exec(v);
    return m ? m[3] : '';
  }

  async function suggest(v) {
    const word = lastWord(v);
    const my = ++suggestSeq;
    if ([...word].length < 1 || document.activeElement !== input) {
      closeSuggest();
      return;
    }
    let res;
    try {
      res = await getJSON('/api/suggest?' + new URLSearchParams({ q: word, limit: '8' }));
    } catch {
      return;
    }
    if (my !== suggestSeq || input.value !== v || composing) return;
    options = res.suggestions || [];
    drawSuggest(v, word);
  }

  function drawSuggest(v, word) {
    const ul = $('suggest');
    ul.replaceChildren();
    active = -1;
    options.forEach((o, i) => {
      const li = el('li', 'option');
      li.id = 'suggest-' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.append(el('span', 'text', o.text));
      li.append(el('span', 'kind', { person: '人物', org: '組織', word: '語' }[o.kind] || ''));
      li.addEventListener('mousedown', (ev) => {
        ev.preventDefault();
        pickSuggestion(i);
      });
      ul.append(li);
    });
    ul.hidden = !options.length;
    input.setAttribute('aria-expanded', options.length ? 'true' : 'false');
    input.removeAttribute('aria-activedescendant');
    ul.dataset.for = word;
  }

  function closeSuggest() {
    $('suggest').hidden = true;
    $('suggest').replaceChildren();
    options = [];
    active = -1;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }

  function pickSuggestion(i) {
    const o = options[i];
    if (!o) return;
    const word = lastWord(input.value);
    const text = /\s/.test(o.text) ? `"${o.text}"` : o.text;
    input.value = input.value.slice(0, input.value.length - word.length) + text;
    closeSuggest();
    clearTimeout(typeTimer);
    go({ ...current, q: input.value.trim(), page: 1 });
  }

  input.addEventListener('keydown', (ev) => {
    if (ev.isComposing || !options.length || $('suggest').hidden) return;
    const n = options.length;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (active >= 0) $('suggest-' + active).setAttribute('aria-selected', 'false');
      active = ev.key === 'ArrowDown' ? (active + 1) % n : (active - 1 + n) % n;
      const li = $('suggest-' + active);
      li.setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', li.id);
    } else if (ev.key === 'Enter' && active >= 0) {
      ev.preventDefault();
      pickSuggestion(active);
    } else if (ev.key === 'Escape') {
      closeSuggest();
    }
  });
  input.addEventListener('blur', () => setTimeout(closeSuggest, 100));

  // --- controls -----------------------------------------------------------

  $('search').addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearTimeout(typeTimer);
    closeSuggest();
    const q = input.value.trim();
    const shown = typingEntry && q === current.q && !root.classList.contains('reading');
    typingEntry = false;
    if (shown) return; // the results already follow the box, in their own entry
    go({ ...current, q, page: 1 });
  });
  $('sort').addEventListener('change', () => go({ ...current, sort: $('sort').value, page: 1 }));
  $('prev').addEventListener('click', () => go({ ...current, page: Math.max(1, current.page - 1) }));
  $('next').addEventListener('click', () => go({ ...current, page: current.page + 1 }));

  // / focuses the search box, as on many sites; Escape closes the drawer
  document.addEventListener('keydown', (ev) => {
    const t = ev.target;
    const typing = t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || t.isContentEditable;
    if (ev.key === '/' && !typing && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
      ev.preventDefault();
      input.focus();
      input.select();
    } else if (ev.key === 'Escape' && $('facets').classList.contains('open')) {
      drawer(false);
      $('open-facets').focus();
    }
  });

  route();
  if (!location.pathname.startsWith('/articles/')) input.focus();
})();
