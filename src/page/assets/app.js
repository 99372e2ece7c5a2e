// The reviewers' page of rasoat: hash routes over the JSON API (src/api/ROUTES.md).
// No build step, no dependency, no other host: everything comes from this server.

const TOKEN_KEY = 'rasoat.token';
const view = document.getElementById('view');
const flashEl = document.getElementById('flash');

// ---------- labels ----------
const STATUS = {
  not_yet_in_force: 'Chưa có hiệu lực',
  in_force: 'Còn hiệu lực',
  partially_expired: 'Hết hiệu lực một phần',
  expired: 'Hết hiệu lực toàn bộ',
  suspended: 'Ngưng hiệu lực',
};
const KIND = {
  expired: 'Hết hiệu lực toàn bộ',
  partially_expired: 'Hết hiệu lực một phần',
  amended: 'Được sửa đổi, bổ sung',
  basis_expired: 'Căn cứ ban hành hết hiệu lực',
  conflict: 'Mâu thuẫn',
  overlap: 'Chồng chéo, trùng lặp',
  inconsistency: 'Không thống nhất',
  format: 'Thể thức',
  authority: 'Thẩm quyền',
};
const KIND_ORDER = Object.keys(KIND);
const SEVERITY = { high: 'Cao', medium: 'Trung bình', low: 'Thấp', info: 'Thông tin' };
const SEV_ORDER = Object.keys(SEVERITY);
const STATE = {
  pending: 'Chưa xử lý',
  confirmed: 'Đã xác nhận',
  dismissed: 'Đã bỏ qua',
  needs_amendment: 'Cần sửa đổi',
};
const PROPOSAL = {
  amend: 'Sửa đổi, bổ sung',
  replace: 'Thay thế',
  repeal: 'Bãi bỏ',
  suspend: 'Ngưng hiệu lực',
  issue_new: 'Ban hành mới',
};
const REL_OUT = {
  basis: 'Căn cứ ban hành',
  replaces: 'Thay thế',
  repeals: 'Bãi bỏ',
  amends: 'Sửa đổi, bổ sung',
  details: 'Quy định chi tiết',
  promulgates: 'Ban hành kèm theo',
  suspends: 'Ngưng hiệu lực',
  mentions: 'Dẫn chiếu',
};
const REL_IN = {
  basis: 'Là căn cứ ban hành của',
  replaces: 'Bị thay thế bởi',
  repeals: 'Bị bãi bỏ bởi',
  amends: 'Được sửa đổi, bổ sung bởi',
  details: 'Được quy định chi tiết bởi',
  promulgates: 'Được ban hành kèm theo',
  suspends: 'Bị ngưng hiệu lực bởi',
  mentions: 'Được dẫn chiếu bởi',
};
const REASON = {
  entered_into_force: 'Có hiệu lực',
  replaced: 'Bị thay thế',
  repealed: 'Bị bãi bỏ',
  time_limit: 'Hết thời hạn',
  parent_expired: 'Văn bản được quy định chi tiết hết hiệu lực',
  amended: 'Được sửa đổi, bổ sung',
  suspended: 'Bị ngưng hiệu lực',
  provisions_expired: 'Một số quy định hết hiệu lực',
};
const ROLE = { reader: 'người đọc', reviewer: 'người rà soát', admin: 'quản trị' };
const ERR = {
  unauthorized: 'Cần đăng nhập bằng mã truy cập hợp lệ.',
  forbidden: 'Mã truy cập này không có quyền thực hiện thao tác này.',
  not_found: 'Không tìm thấy.',
  conflict: 'Số ký hiệu này trùng giữa nhiều cơ quan ban hành.',
  bad_request: 'Yêu cầu không hợp lệ.',
  invalid_body: 'Thông tin nhập chưa đúng hoặc còn thiếu.',
  timeout: 'Máy chủ xử lý quá lâu.',
  overloaded: 'Máy chủ đang bận, vui lòng thử lại.',
  internal: 'Lỗi máy chủ.',
};

// ---------- helpers ----------
function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
// The API's snippets are HTML-escaped with <mark> around matched words: keep only <mark>.
function snippet(s) {
  return esc(String(s ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'))
    .replace(/&lt;mark&gt;/g, '<mark>').replace(/&lt;\/mark&gt;/g, '</mark>');
}
function vnDate(d) {
  if (!d) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : esc(d);
}
function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
function dayBefore(iso) {
  const d = new Date(iso + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
const enc = encodeURIComponent;
const docHref = (id, asOf) => `#/doc/${enc(id)}${asOf ? `?as_of=${asOf}` : ''}`;
const docLink = (id, asOf) => (id ? `<a href="${docHref(id, asOf)}">${esc(id)}</a>` : '—');
const badge = (cls, text) => `<span class="badge ${cls}">${esc(text)}</span>`;
const statusBadge = (s) => badge(`st-${s}`, STATUS[s] || s);
const option = (value, label, selected) => `<option value="${esc(value)}"${selected ? ' selected' : ''}>${esc(label)}</option>`;

function flash(msg, kind = '') {
  flashEl.textContent = msg;
  flashEl.className = `flash ${kind}`;
  flashEl.hidden = !msg;
  clearTimeout(flash.t);
  if (msg && kind !== 'error') flash.t = setTimeout(() => { flashEl.hidden = true; }, 5000);
}

class ApiError extends Error {
  constructor(status, code, message) {
    super(`${ERR[code] || 'Lỗi.'}${message ? ` (${message})` : ''}`);
    this.status = status;
    this.code = code;
  }
}

function authHeaders() {
  const tok = sessionStorage.getItem(TOKEN_KEY);
  return tok ? { Authorization: `Bearer ${tok}` } : {};
}

async function api(path, { method = 'GET', body } = {}) {
  const headers = authHeaders();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data?.error?.code, data?.error?.message);
  return data;
}

// Downloads a file through fetch (so the token goes along), then saves it under the server's name.
async function download(path) {
  const res = await fetch(`/api/v1${path}`, { headers: authHeaders() });
  if (!res.ok) {
    const data = await res.json().catch(() => null);
    throw new ApiError(res.status, data?.error?.code, data?.error?.message);
  }
  const blob = await res.blob();
  const cd = res.headers.get('content-disposition') || '';
  const name = /filename="([^"]+)"/.exec(cd)?.[1] || path.split('/').pop();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}

// ---------- who am I ----------
const me = { name: 'anonymous', role: null, readsOpen: true };
const canDecide = () => me.role === 'reviewer' || me.role === 'admin';
const isAdmin = () => me.role === 'admin';

async function whoAmI() {
  const who = document.getElementById('who');
  try {
    const m = await api('/me');
    me.name = m.name;
    me.role = m.role;
    me.readsOpen = m.reads_open;
  } catch (e) {
    me.name = 'anonymous';
    me.role = null;
    if (e.status === 401 && sessionStorage.getItem(TOKEN_KEY)) {
      sessionStorage.removeItem(TOKEN_KEY);
      flash('Mã truy cập không hợp lệ hoặc đã bị thu hồi.', 'error');
    }
  }
  const signedIn = !!me.role;
  who.textContent = signedIn ? `${me.name} (${ROLE[me.role] || me.role})` : 'Chưa đăng nhập (chỉ xem)';
  document.getElementById('token').hidden = signedIn;
  document.getElementById('signin-btn').hidden = signedIn;
  document.getElementById('signout-btn').hidden = !signedIn;
  document.body.dataset.role = me.role || 'none';
}

document.getElementById('signin').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const input = document.getElementById('token');
  const tok = input.value.trim();
  if (!tok) return;
  sessionStorage.setItem(TOKEN_KEY, tok);
  input.value = '';
  await whoAmI();
  if (me.role) flash(`Đã đăng nhập: ${me.name} (${ROLE[me.role]}).`, 'ok');
  route();
});
document.getElementById('signout-btn').addEventListener('click', async () => {
  sessionStorage.removeItem(TOKEN_KEY);
  await whoAmI();
  flash('Đã đăng xuất.', 'ok');
  route();
});

// ---------- routing ----------
function parseHash() {
  const h = location.hash.replace(/^#/, '') || '/search';
  const [path, query = ''] = h.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, params: new URLSearchParams(query) };
}

let cleanup = null;
// Renders run one after the other, each for the hash of its start, so a slow render (after a
// sign-in, say) cannot overwrite the page of a later hash change.
let routing = Promise.resolve();
function route() {
  routing = routing.then(render, render);
  return routing;
}
async function render() {
  if (cleanup) { cleanup(); cleanup = null; }
  const { parts, params } = parseHash();
  const [name, arg] = parts;
  document.querySelectorAll('[data-nav]').forEach((a) => {
    a.classList.toggle('active', a.dataset.nav === name || (a.dataset.nav === 'runs' && (name === 'run' || name === 'lists')));
  });
  view.className = '';
  try {
    if (name === 'doc' && arg) await showDocument(arg, params);
    else if (name === 'runs') await showRuns();
    else if (name === 'run' && arg) await showRun(Number(arg), params);
    else if (name === 'lists' && arg) await showLists(Number(arg), params);
    else await showSearch(params);
  } catch (e) {
    view.innerHTML = `<div class="card"><h1>Không tải được trang</h1><p>${esc(e.message)}</p></div>`;
  }
}
window.addEventListener('hashchange', route);

// ---------- search ----------
async function showSearch(params) {
  document.title = 'Tìm kiếm — Rà soát văn bản';
  const q = params.get('q') || '';
  const type = params.get('type') || '';
  const issuer = params.get('issuer') || '';
  const year = params.get('year') || '';
  const asOf = params.get('as_of') || today();
  const inForce = params.get('in_force') === '1';
  view.innerHTML = `
    <h1>Tìm kiếm văn bản</h1>
    <form id="searchform" class="searchform card">
      <label>Từ khóa (có thể gõ không dấu; "cụm từ", type:, issuer:, year:, cites:)
        <input id="q" name="q" value="${esc(q)}" placeholder="ví dụ: mot cua lien thong" autofocus></label>
      <label>Loại văn bản
        <select name="type">${option('', 'Tất cả', !type)}${option('QĐ', 'Quyết định', type === 'QĐ')}${option('NQ', 'Nghị quyết', type === 'NQ')}${option('KH', 'Kế hoạch', type === 'KH')}</select></label>
      <label>Cơ quan ban hành
        <input name="issuer" value="${esc(issuer)}" placeholder="ví dụ: Tân Phong"></label>
      <label>Năm ban hành
        <input name="year" value="${esc(year)}" placeholder="2019 hoặc 2019..2021"></label>
      <div class="opts">
        <label class="row">Hiệu lực vào ngày <input type="date" name="as_of" value="${esc(asOf)}"></label>
        <label class="row"><input type="checkbox" name="in_force" value="1"${inForce ? ' checked' : ''}> Chỉ văn bản còn hiệu lực vào ngày đó</label>
        <span class="grow"></span>
        <button class="primary" type="submit">Tìm</button>
      </div>
    </form>
    <div id="results"><p class="muted">Đang tải…</p></div>`;
  document.getElementById('searchform').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    const p = new URLSearchParams();
    for (const k of ['q', 'type', 'issuer', 'year', 'as_of']) {
      const v = String(f.get(k) || '').trim();
      if (v) p.set(k, v);
    }
    if (f.get('in_force')) p.set('in_force', '1');
    const next = `#/search?${p}`;
    if (location.hash === next) route(); else location.hash = next;
  });
  const results = document.getElementById('results');
  const quote = (v) => (/\s/.test(v) ? `"${v.replace(/"/g, '')}"` : v);
  const full = [q, type && `type:${type}`, issuer && `issuer:${quote(issuer)}`, year && `year:${year}`].filter(Boolean).join(' ');
  if (!full) {
    // No query: the stored documents with their status on the date.
    const p = new URLSearchParams({ as_of: asOf, limit: '200' });
    if (inForce) p.set('status', 'in_force');
    const r = await api(`/documents?${p}`);
    results.innerHTML = `<h2>Văn bản trong kho (${r.total}) — trạng thái ngày ${vnDate(r.as_of)}</h2>
      <table class="grid"><thead><tr><th>Số ký hiệu</th><th>Loại</th><th>Ngày ban hành</th><th>Trích yếu</th><th>Trạng thái</th></tr></thead><tbody>
      ${r.documents.map((d) => `<tr><td>${docLink(d.id, asOf)}</td><td>${esc(d.doc_type)}</td><td>${vnDate(d.issued)}</td><td>${esc(d.title)}</td><td>${statusBadge(d.status)}</td></tr>`).join('')}
      </tbody></table>`;
    return;
  }
  const p = new URLSearchParams({ q: full, as_of: asOf, limit: '50' });
  if (inForce) p.set('in_force', 'true');
  const r = await api(`/search?${p}`);
  results.innerHTML = `<h2>${r.total_exact === false ? 'Hơn ' : ''}${r.total.toLocaleString('vi-VN')} kết quả cho <code>${esc(r.query)}</code> — trạng thái ngày ${vnDate(r.as_of)}</h2>
    ${r.hits.length ? '' : '<p class="muted">Không có kết quả.</p>'}
    <ul class="hits">${r.hits.map((h) => `<li class="hit">
      <div class="row"><a href="${docHref(h.document, asOf)}${h.provision ? `&p=${enc(h.provision)}` : ''}"><b>${esc(h.document)}</b>${h.provision ? ` — ${esc(h.provision)}` : ''}</a>${statusBadge(h.status)}</div>
      <div class="snip">${snippet(h.snippet)}</div></li>`).join('')}</ul>`;
}

// ---------- a document ----------
function outline(nodes, statusOf) {
  return nodes.map((n) => {
    const label = n.kind === 'article' ? `Điều ${n.label}${n.heading ? `. ${n.heading}` : ''}`
      : n.kind === 'clause' ? `Khoản ${n.label}` : n.kind === 'point' ? `Điểm ${n.label}` : n.path;
    const st = statusOf(n.path);
    const link = `<a href="#" data-goto="${esc(n.path)}" class="${st === 'expired' ? 'gone' : ''}" title="${esc(n.path)}">${esc(label)}</a>`;
    if (!n.children || !n.children.length) return `<span class="leaf">${link}</span>`;
    const open = n.kind !== 'article' ? ' open' : '';
    return `<details${open}><summary>${link}</summary>${outline(n.children, statusOf)}</details>`;
  }).join('');
}

async function showDocument(id, params) {
  const asOf = params.get('as_of') || today();
  const eid = enc(id);
  document.title = `${id} — Rà soát văn bản`;
  const [d, text, hist, rel] = await Promise.all([
    api(`/documents/${eid}?as_of=${asOf}`),
    api(`/documents/${eid}/text?as_of=${asOf}`),
    api(`/documents/${eid}/history`),
    api(`/documents/${eid}/relations`),
  ]);
  // Old wording of amended provisions: the text as it read the day before the new wording.
  const oldAt = [...new Set(text.provisions.filter((p) => p.amended_by && p.wording_from).map((p) => dayBefore(p.wording_from)))];
  const olds = new Map();
  await Promise.all(oldAt.map(async (day) => {
    const t = await api(`/documents/${eid}/text?as_of=${day}`).catch(() => null);
    if (t) for (const p of t.provisions) olds.set(`${day}|${p.provision}`, p.text);
  }));
  const doc = d.document;
  const statusOf = (path) => text.provisions.find((p) => p.provision === path)?.status;
  const provHtml = text.provisions.map((p) => {
    const gone = p.status === 'expired' || p.status === 'suspended';
    const notyet = p.status === 'not_yet_in_force';
    const amended = !!p.amended_by;
    const head = p.kind === 'article' ? `Điều ${esc(p.label)}.${p.heading ? ` ${esc(p.heading)}` : ''}`
      : p.heading ? esc(p.heading) : '';
    let body = p.text ? `<div class="pt">${esc(p.text)}</div>` : '';
    let tag = '';
    if (gone) tag = `<div class="tag">${statusBadge(p.status)} từ ngày ${vnDate(p.since)}</div>`;
    if (notyet) tag = `<div class="tag">${statusBadge(p.status)}</div>`;
    if (amended) {
      const old = olds.get(`${dayBefore(p.wording_from)}|${p.provision}`);
      tag = `<div class="tag">${badge('st-partially_expired', 'Đã được sửa đổi')} bởi ${docLink(p.amended_by, asOf)}, nội dung mới áp dụng từ ngày ${vnDate(p.wording_from)}</div>`;
      body = `${old !== undefined && old !== p.text ? `<div class="small muted">Nội dung cũ:</div><div class="pt old">${esc(old)}</div><div class="small muted">Nội dung mới:</div>` : ''}${body}`;
    }
    return `<div class="prov k-${esc(p.kind)}${gone ? ' gone' : ''}${notyet ? ' notyet' : ''}${amended ? ' amended' : ''}" data-prov="${esc(p.provision)}">
      <div class="pl">${esc(p.provision)}</div>${head ? `<div class="ph">${head}</div>` : ''}${tag}${body}</div>`;
  }).join('');
  const histHtml = hist.history.map((h) => `<li><b>${vnDate(h.date)}</b> ${statusBadge(h.status)}${h.provision ? ` <span class="small">(${esc(h.provision)})</span>` : ''}
      ${h.reasons.map((r) => `<div class="small">${esc(REASON[r.kind] || r.kind)}${r.document ? ` — ${docLink(r.document)}${r.provision ? ` ${esc(r.provision)}` : ''}` : ''}<br>${esc(r.note)}<br><span class="muted">Căn cứ: ${esc(r.legal_basis)}</span></div>`).join('')}</li>`).join('');
  const relOut = rel.outgoing.map((r) => `<li>${esc(REL_OUT[r.relation] || r.relation)}: ${r.resolved ? docLink(r.document) : esc(r.document || '')}${r.provision ? ` (${esc(r.provision)})` : ''}<div class="small muted">${esc(r.raw)}</div></li>`).join('');
  const relIn = rel.incoming.map((r) => `<li>${esc(REL_IN[r.relation] || r.relation)}: ${docLink(r.document)}${r.provision ? ` (${esc(r.provision)})` : ''}<div class="small muted">${esc(r.raw)}</div></li>`).join('');
  view.className = 'fill';
  view.innerHTML = `
    <div class="row"><h1 class="grow">${esc(doc.doc_type || '')} số ${esc(d.id)} ${statusBadge(text.status)}</h1>
      <form id="asof" class="row"><label>Đọc văn bản như vào ngày <input type="date" name="as_of" value="${esc(asOf)}"></label><button class="primary" type="submit">Xem</button></form></div>
    <div class="muted">${esc(doc.title || '')}</div>
    <div class="fillbody docgrid">
      <div class="card">
        <dl class="facts">
          <dt>Số ký hiệu</dt><dd>${esc(d.id)}</dd>
          <dt>Loại văn bản</dt><dd>${esc(doc.doc_type || '—')}</dd>
          <dt>Cơ quan ban hành</dt><dd>${esc(doc.issuer || '—')}</dd>
          <dt>Ngày ban hành</dt><dd>${vnDate(doc.issued)}</dd>
          <dt>Ngày có hiệu lực</dt><dd>${vnDate(doc.effective_from)}</dd>
          ${doc.effective_until ? `<dt>Hiệu lực đến</dt><dd>${vnDate(doc.effective_until)}</dd>` : ''}
          <dt>Người ký</dt><dd>${esc(doc.signer ? `${doc.signer.capacity || ''} ${doc.signer.title || ''} ${doc.signer.name || ''}` : '—')}</dd>
          <dt>Trạng thái</dt><dd>${statusBadge(text.status)} từ ${vnDate(text.since)} <span class="small muted">(ngày ${vnDate(text.as_of)})</span></dd>
        </dl>
        <h3>Bố cục</h3>
        <div class="outline">${outline(doc.provisions || [], statusOf)}</div>
      </div>
      <div class="card" id="doctext">
        <h2>Nội dung văn bản ngày ${vnDate(text.as_of)}</h2>
        ${provHtml || '<p class="muted">Không có nội dung.</p>'}
      </div>
      <div class="card">
        <h2>Diễn biến hiệu lực</h2>
        <ul class="timeline">${histHtml || '<li class="muted">Chưa có.</li>'}</ul>
        <h2>Văn bản này dẫn chiếu</h2>
        <ul class="rels">${relOut || '<li class="muted">Không có.</li>'}</ul>
        <h2>Văn bản dẫn chiếu đến văn bản này</h2>
        <ul class="rels">${relIn || '<li class="muted">Không có.</li>'}</ul>
      </div>
    </div>`;
  document.getElementById('asof').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = new FormData(ev.target).get('as_of');
    location.hash = docHref(id, v || undefined);
  });
  const goto = (path) => {
    const el = [...view.querySelectorAll('[data-prov]')].find((x) => x.dataset.prov === path);
    if (!el) return;
    view.querySelectorAll('.prov.hl').forEach((x) => x.classList.remove('hl'));
    el.classList.add('hl');
    el.scrollIntoView({ block: 'start' });
  };
  view.querySelector('.outline').addEventListener('click', (ev) => {
    const a = ev.target.closest('[data-goto]');
    if (!a) return;
    ev.preventDefault();
    goto(a.dataset.goto);
  });
  if (params.get('p')) goto(params.get('p'));
}

// ---------- runs ----------
async function showRuns() {
  document.title = 'Đợt rà soát — Rà soát văn bản';
  const r = await api('/runs');
  view.innerHTML = `
    <h1>Đợt rà soát</h1>
    ${isAdmin() ? `<form id="newrun" class="card row"><b>Bắt đầu đợt rà soát mới</b><label>Rà soát tại ngày <input type="date" name="as_of" value="${today()}" required></label><button class="primary" type="submit">Bắt đầu đợt rà soát</button><span class="muted small">Áp dụng các quy tắc rà soát cho toàn bộ văn bản trong kho.</span></form>`
    : '<p class="muted small">Chỉ tài khoản quản trị mới bắt đầu được đợt rà soát mới.</p>'}
    <h2>Các đợt (${r.total})</h2>
    <table class="grid"><thead><tr><th>Đợt</th><th>Rà soát tại ngày</th><th>Tạo lúc</th><th>Người tạo</th><th>Số phát hiện</th><th></th></tr></thead><tbody>
    ${r.runs.map((x) => `<tr><td><a href="#/run/${x.id}">Đợt ${x.id}</a></td><td>${vnDate(x.as_of)}</td><td>${esc(x.created_at.replace('T', ' ').replace(/\..*$/, ''))}</td><td>${esc(x.created_by)}</td><td>${x.findings}</td>
      <td><a href="#/run/${x.id}">Rà soát</a> · <a href="#/lists/${x.id}">Danh mục</a></td></tr>`).join('') || '<tr><td colspan="6" class="muted">Chưa có đợt nào.</td></tr>'}
    </tbody></table>`;
  const form = document.getElementById('newrun');
  if (form) {
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const btn = form.querySelector('button');
      btn.disabled = true;
      btn.textContent = 'Đang chạy các quy tắc…';
      try {
        const res = await api('/runs', { method: 'POST', body: { as_of: new FormData(form).get('as_of') } });
        flash(`Đã tạo đợt ${res.run.id}: ${res.run.findings} phát hiện.`, 'ok');
        location.hash = `#/run/${res.run.id}`;
      } catch (e) {
        flash(e.message, 'error');
        btn.disabled = false;
        btn.textContent = 'Bắt đầu đợt rà soát';
      }
    });
  }
}

async function allFindings(run) {
  const out = [];
  for (let offset = 0; ;) {
    const r = await api(`/runs/${run}/findings?offset=${offset}&limit=200`);
    out.push(...r.findings);
    offset += r.findings.length;
    if (!r.findings.length || offset >= r.total) return out;
  }
}

async function showRun(run, params) {
  document.title = `Đợt ${run} — Rà soát văn bản`;
  const [info, findings] = await Promise.all([api(`/runs/${run}`), allFindings(run)]);
  const asOf = info.run.as_of;
  const filt = { kind: params.get('kind') || '', severity: params.get('severity') || '', state: params.get('state') || '', q: '' };
  let selected = params.get('f') || null;
  const texts = new Map(); // document id → Promise of its text on the run's date
  const docText = (id) => {
    if (!texts.has(id)) texts.set(id, api(`/documents/${enc(id)}/text?as_of=${asOf}`).catch(() => null));
    return texts.get(id);
  };
  const order = (f) => [KIND_ORDER.indexOf(f.kind), SEV_ORDER.indexOf(f.severity)];
  findings.sort((a, b) => {
    const [ka, sa] = order(a);
    const [kb, sb] = order(b);
    return ka - kb || sa - sb || a.document.localeCompare(b.document) || String(a.provision).localeCompare(String(b.provision));
  });
  const count = (key) => findings.reduce((m, f) => m.set(f[key], (m.get(f[key]) || 0) + 1), new Map());
  const kinds = count('kind');
  const sevs = count('severity');
  view.className = 'fill';
  view.innerHTML = `
    <div class="row">
      <h1>Đợt rà soát ${run} <span class="muted small">— rà soát tại ngày ${vnDate(asOf)}</span></h1>
      <span class="grow"></span>
      <span id="progress-text"></span><div class="progress" title="Tiến độ"><div id="progress-bar"></div></div>
      <a href="#/lists/${run}">Danh mục và so sánh →</a>
    </div>
    <div class="fillbody rungrid">
      <div>
        <div class="filters">
          <select id="f-kind" aria-label="Loại phát hiện">${option('', 'Mọi loại')}${KIND_ORDER.filter((k) => kinds.has(k)).map((k) => option(k, `${KIND[k]} (${kinds.get(k)})`, filt.kind === k)).join('')}</select>
          <select id="f-severity" aria-label="Mức độ">${option('', 'Mọi mức độ')}${SEV_ORDER.filter((k) => sevs.has(k)).map((k) => option(k, `${SEVERITY[k]} (${sevs.get(k)})`, filt.severity === k)).join('')}</select>
          <select id="f-state" aria-label="Tình trạng">${option('', 'Mọi tình trạng')}${Object.keys(STATE).map((k) => option(k, STATE[k], filt.state === k)).join('')}</select>
          <input id="f-q" placeholder="Lọc theo số văn bản…" size="14">
        </div>
        <div class="small muted">Phím tắt: <kbd>j</kbd>/<kbd>k</kbd> phát hiện sau/trước · <kbd>c</kbd> xác nhận · <kbd>d</kbd> bỏ qua · <kbd>a</kbd> cần sửa đổi · <kbd>/</kbd> tìm kiếm</div>
        <ul class="flist" id="flist"></ul>
      </div>
      <div class="card" id="detail"><p class="muted">Chọn một phát hiện ở danh sách bên trái.</p></div>
    </div>`;
  const listEl = document.getElementById('flist');
  const detailEl = document.getElementById('detail');
  const visible = () => findings.filter((f) => (!filt.kind || f.kind === filt.kind) && (!filt.severity || f.severity === filt.severity)
    && (!filt.state || f.state === filt.state) && (!filt.q || f.document.toLowerCase().includes(filt.q.toLowerCase())));
  const progress = () => {
    const done = findings.filter((f) => f.state !== 'pending').length;
    document.getElementById('progress-text').textContent = `Đã quyết định ${done} / ${findings.length}`;
    document.getElementById('progress-bar').style.width = `${findings.length ? (100 * done) / findings.length : 0}%`;
  };
  const renderList = () => {
    let last = '';
    const html = [];
    const vis = visible();
    for (const f of vis) {
      const g = `${f.kind}|${f.severity}`;
      if (g !== last) {
        const n = vis.filter((x) => x.kind === f.kind && x.severity === f.severity).length;
        html.push(`<li class="grp">${esc(KIND[f.kind] || f.kind)} — mức ${esc(SEVERITY[f.severity] || f.severity)} (${n})</li>`);
        last = g;
      }
      html.push(`<li class="f${f.id === selected ? ' sel' : ''}" data-id="${esc(f.id)}">
        <div class="row">${badge(`sev-${f.severity}`, SEVERITY[f.severity])}<b>${esc(f.document)}</b>${f.provision ? `<span class="small">${esc(f.provision)}</span>` : ''}<span class="grow"></span>${badge(`state-${f.state}`, STATE[f.state])}</div>
        <div class="msg small">${esc(f.message)}</div></li>`);
    }
    listEl.innerHTML = html.join('') || '<li class="muted">Không có phát hiện nào khớp bộ lọc.</li>';
    progress();
  };
  const highlight = (text, quote) => {
    if (!text) return '';
    const i = quote ? text.indexOf(quote) : -1;
    if (i < 0) return esc(text);
    return `${esc(text.slice(0, i))}<mark>${esc(quote)}</mark>${esc(text.slice(i + quote.length))}`;
  };
  const evidenceHtml = async (raw) => {
    // A long quote is cut with "…": match what is left of it.
    const ev = { ...raw, quote: String(raw.quote || '').replace(/^\s*(…|\.\.\.)\s*/, '').replace(/\s*(…|\.\.\.)\s*$/, '') };
    const t = await docText(ev.document);
    let src = null;
    if (t) {
      const provs = ev.provision ? t.provisions.filter((p) => p.provision === ev.provision || p.provision.endsWith(` ${ev.provision}`)) : [];
      const withQuote = t.provisions.find((p) => p.text && ev.quote && p.text.includes(ev.quote));
      const p = provs.find((x) => x.text && x.text.includes(ev.quote)) || withQuote || provs[0];
      if (p) src = { path: p.provision, text: p.text || '' };
    }
    const found = src && ev.quote && src.text.includes(ev.quote);
    return `<div class="evidence">
      <div class="small"><b>${docLink(ev.document, asOf)}</b>${ev.provision ? ` — ${esc(ev.provision)}` : ''}${src && src.path !== ev.provision ? ` <span class="muted">(${esc(src.path)})</span>` : ''}</div>
      ${found ? `<div class="src">${highlight(src.text, ev.quote)}</div>` : `<div class="src"><mark>${esc(ev.quote)}</mark></div>${src && src.text ? `<div class="small muted">Nguyên văn quy định:</div><div class="src">${esc(src.text)}</div>` : ''}`}
    </div>`;
  };
  const renderDetail = async () => {
    const f = findings.find((x) => x.id === selected);
    if (!f) { detailEl.innerHTML = '<p class="muted">Chọn một phát hiện ở danh sách bên trái.</p>'; return; }
    const dec = f.decision;
    detailEl.innerHTML = `
      <div class="row">${badge(`sev-${f.severity}`, `Mức ${SEVERITY[f.severity]}`)}${badge('', KIND[f.kind] || f.kind)}${badge(`state-${f.state}`, STATE[f.state])}<span class="grow"></span><span class="small muted">Mã ${esc(f.id)} · quy tắc ${esc(f.rule)}</span></div>
      <h2>${docLink(f.document, asOf)}${f.provision ? ` — ${esc(f.provision)}` : ''}</h2>
      <p>${esc(f.message)}</p>
      <p><b>Căn cứ pháp lý:</b> ${esc(f.legal_basis || '—')}${f.since ? ` · <b>từ ngày</b> ${vnDate(f.since)}` : ''}</p>
      ${f.related && f.related.length ? `<p class="small"><b>Văn bản liên quan:</b> ${f.related.map((r) => `${docLink(r.document, asOf)}${r.provision ? ` (${esc(r.provision)})` : ''}`).join(', ')}</p>` : ''}
      <h3>Chứng cứ trong văn bản</h3>
      <div id="evidence"><p class="muted small">Đang tải nguyên văn…</p></div>
      ${dec ? `<div class="card small"><b>Quyết định hiện hành:</b> ${esc(STATE[dec.decision] || dec.decision)} — ${esc(dec.author)}, ${esc(dec.created_at.replace('T', ' ').replace(/\..*$/, ''))}${f.carried_from ? ` (chuyển từ đợt ${f.carried_from})` : ''}
        ${dec.note ? `<br>Ghi chú: ${esc(dec.note)}` : ''}${dec.proposal ? `<br>Kiến nghị: ${esc(PROPOSAL[dec.proposal] || dec.proposal)} · Cơ quan chủ trì: ${esc(dec.body_in_charge)} · Thời hạn: ${vnDate(dec.deadline)}` : ''}</div>` : ''}
      ${canDecide() ? `<form class="decide" id="decide">
        <textarea name="note" placeholder="Ghi chú (không bắt buộc)">${esc(dec?.note || '')}</textarea>
        <div class="amend" id="amend" hidden>
          <label>Kiến nghị<select name="proposal">${Object.keys(PROPOSAL).map((k) => option(k, PROPOSAL[k], dec?.proposal === k)).join('')}</select></label>
          <label>Cơ quan chủ trì soạn thảo<input name="body_in_charge" value="${esc(dec?.body_in_charge || '')}" placeholder="ví dụ: Ủy ban nhân dân xã Phú Thạnh"></label>
          <label>Thời hạn xử lý<input type="date" name="deadline" value="${esc(dec?.deadline || '')}"></label>
        </div>
        <div class="row">
          <button type="button" class="primary" data-decide="confirmed">Xác nhận <kbd>c</kbd></button>
          <button type="button" data-decide="dismissed">Bỏ qua <kbd>d</kbd></button>
          <button type="button" data-decide="needs_amendment">Cần sửa đổi <kbd>a</kbd></button>
          <button type="submit" id="save-amend" hidden>Lưu kiến nghị</button>
        </div>
      </form>` : `<p class="muted small decide">${me.role === 'reader' ? 'Mã truy cập của người đọc: chỉ xem, không quyết định.' : 'Đăng nhập bằng mã của người rà soát để quyết định.'}</p>`}`;
    const form = document.getElementById('decide');
    if (form) {
      form.addEventListener('click', (ev) => {
        const b = ev.target.closest('[data-decide]');
        if (b) decide(b.dataset.decide);
      });
      form.addEventListener('submit', (ev) => { ev.preventDefault(); decide('needs_amendment', true); });
    }
    const box = document.getElementById('evidence');
    const evs = await Promise.all((f.evidence || []).map(evidenceHtml));
    // The reviewer may have moved on (another finding, another page) meanwhile.
    if (box.isConnected) box.innerHTML = evs.join('') || '<p class="muted small">Không có trích dẫn.</p>';
  };
  const select = (id, scroll = true) => {
    selected = id;
    listEl.querySelectorAll('li.f').forEach((li) => li.classList.toggle('sel', li.dataset.id === id));
    const li = [...listEl.querySelectorAll('li.f')].find((x) => x.dataset.id === id);
    if (li && scroll) li.scrollIntoView({ block: 'nearest' });
    renderDetail();
  };
  const move = (step) => {
    const vis = visible();
    if (!vis.length) return;
    const i = vis.findIndex((f) => f.id === selected);
    const j = i < 0 ? 0 : Math.min(vis.length - 1, Math.max(0, i + step));
    select(vis[j].id);
  };
  async function decide(decision, submitAmend = false) {
    const f = findings.find((x) => x.id === selected);
    const form = document.getElementById('decide');
    if (!f || !form) return;
    const amend = document.getElementById('amend');
    if (decision === 'needs_amendment' && !submitAmend) {
      amend.hidden = false;
      document.getElementById('save-amend').hidden = false;
      form.querySelector('[name=body_in_charge]').focus();
      return;
    }
    const data = new FormData(form);
    const body = { decision, run };
    const note = String(data.get('note') || '').trim();
    if (note) body.note = note;
    if (decision === 'needs_amendment') {
      body.proposal = data.get('proposal');
      body.body_in_charge = String(data.get('body_in_charge') || '').trim();
      body.deadline = data.get('deadline');
      if (!body.body_in_charge || !body.deadline) { flash('Cần nhập cơ quan chủ trì và thời hạn xử lý.', 'error'); return; }
    }
    try {
      const d = await api(`/findings/${enc(f.id)}/decisions`, { method: 'POST', body });
      f.decision = d;
      f.state = d.decision;
      f.carried_from = null;
      flash(`Đã lưu: ${STATE[d.decision]} — ${f.document}${f.provision ? ` ${f.provision}` : ''}.`, 'ok');
      const vis = visible();
      const i = vis.findIndex((x) => x.id === f.id);
      renderList();
      const next = vis.slice(i + 1).find((x) => x.state === 'pending') || vis[i + 1];
      select(next && visible().some((x) => x.id === next.id) ? next.id : f.id);
    } catch (e) {
      flash(e.message, 'error');
    }
  }
  listEl.addEventListener('click', (ev) => {
    const li = ev.target.closest('li.f');
    if (li) select(li.dataset.id, false);
  });
  const onFilter = () => {
    filt.kind = document.getElementById('f-kind').value;
    filt.severity = document.getElementById('f-severity').value;
    filt.state = document.getElementById('f-state').value;
    filt.q = document.getElementById('f-q').value.trim();
    renderList();
  };
  ['f-kind', 'f-severity', 'f-state'].forEach((id) => document.getElementById(id).addEventListener('change', onFilter));
  document.getElementById('f-q').addEventListener('input', onFilter);
  const onKey = (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) {
      if (ev.key === 'Escape') t.blur();
      return;
    }
    const k = ev.key;
    if (k === 'j') { move(1); ev.preventDefault(); } else if (k === 'k') { move(-1); ev.preventDefault(); } else if (canDecide() && selected && (k === 'c' || k === 'd' || k === 'a')) {
      ev.preventDefault();
      decide({ c: 'confirmed', d: 'dismissed', a: 'needs_amendment' }[k]);
    }
  };
  document.addEventListener('keydown', onKey);
  cleanup = () => document.removeEventListener('keydown', onKey);
  renderList();
  if (selected) select(selected);
}

// ---------- lists and diff ----------
const LISTS = { expired: 'Hết hiệu lực', to_amend: 'Cần sửa đổi, thay thế', in_force: 'Còn hiệu lực' };
async function showLists(run, params) {
  document.title = `Danh mục đợt ${run} — Rà soát văn bản`;
  const list = LISTS[params.get('list')] ? params.get('list') : 'expired';
  const [l, runs] = await Promise.all([api(`/runs/${run}/lists/${list}.json`), api('/runs')]);
  // The diff is against the previous run; the first run has none.
  const hasPrevious = runs.runs.some((x) => x.id < run);
  const diff = hasPrevious ? await api(`/runs/${run}/diff`).catch((e) => ({ error: e })) : { error: { status: 404 } };
  const cell = (row, col) => {
    const v = row[col];
    if (col === 'document') return docLink(v, l.as_of);
    if (col === 'issued' || col === 'date' || col === 'deadline') return vnDate(v);
    if (col === 'proposal') return esc(PROPOSAL[v] || v || '');
    return esc(v ?? '');
  };
  const cols = { expired: ['stt', 'document', 'issued', 'title', 'reason', 'date', 'content'], to_amend: ['stt', 'document', 'issued', 'title', 'content', 'proposal', 'note', 'body_in_charge', 'deadline'], in_force: ['stt', 'document', 'issued', 'title', 'date', 'note'] }[list];
  const fl = (items) => items.map((f) => `<li>${badge(`sev-${f.severity}`, SEVERITY[f.severity])} ${docLink(f.document, l.as_of)}${f.provision ? ` ${esc(f.provision)}` : ''} — ${esc(KIND[f.kind] || f.kind)} ${badge(`state-${f.state}`, STATE[f.state])}</li>`).join('');
  let diffHtml;
  if (diff.error) diffHtml = `<p class="muted">${diff.error.status === 404 ? 'Chưa có đợt trước để so sánh.' : esc(diff.error.message)}</p>`;
  else {
    diffHtml = `<p>So với đợt ${diff.from}: <b>${diff.counts.new}</b> phát hiện mới, <b>${diff.counts.resolved}</b> đã hết, <b>${diff.counts.unchanged}</b> không đổi (${diff.counts.carried} giữ quyết định từ đợt trước).</p>
      <details${diff.counts.new ? ' open' : ''}><summary>Phát hiện mới (${diff.counts.new})</summary><ul class="rels">${fl(diff.new)}</ul></details>
      <details><summary>Đã hết (${diff.counts.resolved})</summary><ul class="rels">${fl(diff.resolved)}</ul></details>`;
  }
  view.innerHTML = `
    <div class="row"><h1 class="grow">Danh mục — đợt ${run} <span class="muted small">(rà soát tại ngày ${vnDate(l.as_of)})</span></h1><a href="#/run/${run}">← Về đợt rà soát</a></div>
    <div class="tabs">${Object.keys(LISTS).map((k) => `<a href="#/lists/${run}?list=${k}" class="${k === list ? 'active' : ''}">${esc(LISTS[k])}</a>`).join('')}</div>
    <div class="card">
      <div class="row"><h2 class="grow">${esc(l.title)} (${l.total})</h2>
        <button class="primary" data-dl="${list}.xlsx" id="dl-xlsx">Tải về Excel (XLSX)</button>
        <button data-dl="${list}.csv" id="dl-csv">Tải về CSV</button></div>
      <table class="grid"><thead><tr>${l.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>
      ${l.rows.map((r) => `<tr>${cols.map((c) => `<td>${cell(r, c)}</td>`).join('')}</tr>`).join('') || `<tr><td colspan="${l.columns.length}" class="muted">Danh mục trống: chưa có quyết định nào đưa văn bản vào danh mục này.</td></tr>`}
      </tbody></table>
    </div>
    <div class="card"><h2>So sánh với đợt trước</h2>${diffHtml}</div>`;
  view.querySelectorAll('[data-dl]').forEach((b) => b.addEventListener('click', async () => {
    try {
      const name = await download(`/runs/${run}/lists/${b.dataset.dl}`);
      flash(`Đã tải về ${name}.`, 'ok');
    } catch (e) {
      flash(e.message, 'error');
    }
  }));
}

// "/" goes to the search field from anywhere.
document.addEventListener('keydown', (ev) => {
  const t = ev.target;
  if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
  ev.preventDefault();
  const q = document.getElementById('q');
  if (q) q.focus();
  else {
    location.hash = '#/search';
    setTimeout(() => document.getElementById('q')?.focus(), 300);
  }
});

await whoAmI();
route();
