// The viewer's router: every view, fact and span has a hash URL.
//   #/                                  overview (filters in the query: status, kind, source, participant, date_from, date_to)
//   #/facts?source=&participant=        every fact
//   #/fact/{agreements|outcomes|claims}/{id}
//   #/card/{agreements|outcomes|claims}/{id}   the embeddable card
//   #/article/{source}[/span/{utf16_start}-{utf16_end}][?mentions=all|{participant}]
//   #/disputes  #/participants  #/participant/{id}  #/search?q=
import { articleView } from './article.js';
import { h, add, clear } from './dom.js';
import * as views from './views.js';

const main = document.getElementById('main');
let article = null;	// { source, mentions, focus } of the article shown

function parse() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, q = ''] = raw.split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(q) };
}

async function showArticle(source, range, mentions) {
  if (!article || article.source !== source || article.mentions !== mentions) {
    const view = await articleView(main, { source, mentions });
    article = { source, mentions, ...view };
    if (!range) main.focus({ preventScroll: true });
  }
  if (range && !article.focus(range) && mentions !== 'all') {
    // A mention's span: show every mention, then focus it.
    await showArticle(source, null, 'all');
    article.focus(range);
  }
}

async function render() {
  const { parts, params } = parse();
  const [view = '', a, b, c] = parts;
  document.body.dataset.ready = 'no';
  document.body.classList.toggle('embed', view === 'card');
  if (view !== 'article') article = null;
  if (view !== 'search') document.getElementById('search-q').value = '';
  try {
    switch (view) {
      case '': await views.overview(main, params); break;
      case 'facts': await views.facts(main, params); break;
      case 'fact': await views.fact(main, a, b); break;
      case 'card': await views.card(main, a, b); break;
      case 'article': await showArticle(a, b === 'span' ? c : null, params.get('mentions') ?? ''); break;
      case 'disputes': await views.disputes(main); break;
      case 'participants': await views.participants(main, params); break;
      case 'participant': await views.participant(main, a); break;
      case 'search': await views.search(main, params); break;
      default: add(clear(main), h('h1', {}, 'Not found'), h('p', {}, 'This viewer has no such page. '), h('a', { href: '#/' }, 'Overview'));
    }
  } catch (err) {
    add(clear(main), h('h1', {}, 'Something went wrong'), h('p', { class: 'error', role: 'alert' }, err.message));
  }
  document.body.dataset.view = view || 'overview';
  document.body.dataset.ready = 'yes';
  // For make bench: the first view drawn, every panel filled, interactive.
  if (!performance.getEntriesByName('accord-ready').length) performance.mark('accord-ready');
  const title = main.querySelector('h1')?.textContent;
  document.title = title ? `${title} · accord` : 'accord';
  for (const link of document.querySelectorAll('header nav a')) {
    if (link.getAttribute('href') === `#/${view}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

let previous = '';
window.addEventListener('hashchange', () => {
  const [path] = location.hash.split('?');
  const same = previous === path;
  previous = path;
  render().then(() => {
    // A new view (not a span within the same article) starts at its top.
    if (!same && !/\/span\//.test(location.hash) && document.body.dataset.view !== 'article') main.focus({ preventScroll: true });
  });
});
document.getElementById('search-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = document.getElementById('search-q').value.trim();
  const next = `#/search?q=${encodeURIComponent(q)}`;
  if (next !== location.hash) document.body.dataset.ready = 'no';	// until it renders
  location.hash = next;
});
previous = location.hash.split('?')[0];
render();
