/* global document, sessionStorage, location, history */
'use strict';
// SICORA notification dashboard (R62): admin token from the login form or #token=, kept in sessionStorage;
// uses only A1–A3 and A7–A9 on the same origin.
(function () {
  var API = '/api/v1/notifications/admin';
  var COLORS = { sent: '#39A900', delivered: '#1b6e00', digested: '#7fc34f', skipped: '#bbbbbb', expired: '#999999', cancelled: '#cccccc', dead: '#b00020', pending: '#f0ad4e', queued: '#5bc0de', sending: '#337ab7', retrying: '#e67e22' };
  var state = { page: 1 };
  var $ = function (id) { return document.getElementById(id); };

  function token() { return sessionStorage.getItem('sicora_admin_token'); }
  function show(id) { ['login', 'restricted', 'app'].forEach(function (s) { $(s).hidden = s !== id; }); }
  function claims(t) {
    try { return JSON.parse(atob(t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))); } catch (_e) { return {}; }
  }
  function api(method, path, body) {
    return fetch(path, { method: method, headers: Object.assign({ authorization: 'Bearer ' + token() }, body ? { 'content-type': 'application/json' } : {}), body: body ? JSON.stringify(body) : undefined })
      .then(function (r) {
        if (r.status === 401 || r.status === 403) { show('restricted'); throw new Error('forbidden'); }
        return r.json();
      });
  }
  function cell(tr, text) { var td = document.createElement('td'); td.textContent = text == null ? '' : String(text); tr.appendChild(td); return td; }
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }

  function chart(m) {
    var box = $('chart'); clear(box);
    var ns = 'http://www.w3.org/2000/svg';
    var W = 760, H = 220, n = m.buckets.length, bw = Math.max(2, Math.floor(W / n) - 2);
    var per = {}; m.series.forEach(function (s) { (per[s.bucket_start] = per[s.bucket_start] || []).push(s); });
    var max = 1; m.buckets.forEach(function (b) { var t = (per[b] || []).reduce(function (a, s) { return a + s.count; }, 0); if (t > max) max = t; });
    var svg = document.createElementNS(ns, 'svg'); svg.setAttribute('width', W); svg.setAttribute('height', H + 20);
    m.buckets.forEach(function (b, i) {
      var g = document.createElementNS(ns, 'g'); g.setAttribute('class', 'bar'); g.setAttribute('data-bucket', b);
      var y = H, total = 0;
      (per[b] || []).forEach(function (s) {
        var h = Math.round((s.count / max) * (H - 10)); y -= h; total += s.count;
        var r = document.createElementNS(ns, 'rect'); r.setAttribute('x', i * (bw + 2)); r.setAttribute('y', y); r.setAttribute('width', bw); r.setAttribute('height', h);
        r.setAttribute('fill', COLORS[s.status] || '#666'); g.appendChild(r);
      });
      g.setAttribute('data-count', total);
      var t = document.createElementNS(ns, 'title'); t.textContent = new Date(b).toLocaleString('es-CO', { timeZone: 'America/Bogota' }) + ': ' + total; g.appendChild(t);
      svg.appendChild(g);
    });
    box.appendChild(svg);
    var legend = document.createElement('div'); legend.className = 'legend';
    Object.keys(COLORS).forEach(function (k) { var s = document.createElement('span'); var i = document.createElement('i'); i.style.background = COLORS[k]; s.appendChild(i); s.appendChild(document.createTextNode(k)); legend.appendChild(s); });
    box.appendChild(legend);
    var body = $('totals').tBodies[0]; clear(body);
    Object.keys(m.totals).forEach(function (c) {
      var t = m.totals[c], tr = document.createElement('tr');
      cell(tr, c); cell(tr, t.total); cell(tr, t.success_rate == null ? '—' : (t.success_rate * 100).toFixed(2) + ' %'); cell(tr, m.latency[c] ? m.latency[c].p95_ms : '—'); cell(tr, t.dead);
      body.appendChild(tr);
    });
  }

  function loadMetrics() {
    var q = '?bucket=' + $('range').value + ($('channel').value ? '&channel=' + $('channel').value : '');
    return api('GET', API + '/metrics' + q).then(function (r) { chart(r.data); });
  }
  function loadQueue() {
    return Promise.all([api('GET', API + '/queue'), api('GET', API + '/providers')]).then(function (res) {
      var q = res[0].data, box = $('queue'); clear(box);
      q.queues.forEach(function (x) { var p = document.createElement('p'); p.className = 'queue'; p.setAttribute('data-queue', x.name); p.setAttribute('data-waiting', x.waiting); p.textContent = x.name + ': ' + x.waiting + ' en espera, ' + x.active + ' activos, ' + x.delayed + ' diferidos'; box.appendChild(p); });
      var body = $('providers').tBodies[0]; clear(body);
      res[1].data.forEach(function (p) { var tr = document.createElement('tr'); cell(tr, p.name); cell(tr, p.channel); cell(tr, p.configured ? 'sí' : 'no'); cell(tr, p.circuit); body.appendChild(tr); });
    });
  }
  function loadDead() {
    return api('GET', API + '/dead-letters?page_size=20&page=' + state.page).then(function (r) {
      var body = $('dead').tBodies[0]; clear(body);
      r.data.forEach(function (d) {
        var tr = document.createElement('tr'); tr.setAttribute('data-id', d.id);
        cell(tr, new Date(d.dead_at).toLocaleString('es-CO', { timeZone: 'America/Bogota' })); cell(tr, d.channel || 'expansión'); cell(tr, d.type); cell(tr, d.destination || '—'); cell(tr, d.reason); cell(tr, d.attempt_count);
        var td = cell(tr, ''); var b = document.createElement('button'); b.type = 'button'; b.textContent = 'Reintentar';
        b.addEventListener('click', function () { api('POST', API + '/dead-letters/' + d.id + '/redrive').then(refresh); });
        td.appendChild(b); body.appendChild(tr);
      });
      var p = r.meta.pagination; $('page').textContent = 'Página ' + p.page + ' de ' + p.total_pages;
      $('prev').disabled = !p.has_prev; $('next').disabled = !p.has_next;
    });
  }
  function refresh() { return Promise.all([loadMetrics(), loadQueue(), loadDead()]).catch(function () {}); }

  function start() {
    var t = token();
    if (!t) { show('login'); return; }
    if (claims(t).role !== 'admin') { show('restricted'); return; }
    show('app');
    refresh();
    setInterval(function () { loadQueue().catch(function () {}); }, 10000);
  }

  document.addEventListener('DOMContentLoaded', function () {
    var m = /#token=([^&]+)/.exec(location.hash);
    if (m) { sessionStorage.setItem('sicora_admin_token', decodeURIComponent(m[1])); history.replaceState(null, '', location.pathname); }
    $('range').addEventListener('change', function () { loadMetrics().catch(function () {}); });
    $('channel').addEventListener('change', function () { loadMetrics().catch(function () {}); });
    $('prev').addEventListener('click', function () { state.page -= 1; loadDead().catch(function () {}); });
    $('next').addEventListener('click', function () { state.page += 1; loadDead().catch(function () {}); });
    $('redrive-all').addEventListener('click', function () { $('confirm').showModal(); });
    $('confirm').addEventListener('close', function () {
      if ($('confirm').returnValue === 'ok') api('POST', API + '/dead-letters/redrive', {}).then(refresh);
    });
    $('login-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var f = e.target;
      fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: f.identifier.value, password: f.password.value }) })
        .then(function (r) { return r.json(); })
        .then(function (r) {
          if (!r.success) { $('login-error').textContent = r.error.message; $('login-error').hidden = false; return; }
          sessionStorage.setItem('sicora_admin_token', r.data.access_token); start();
        });
    });
    start();
  });
})();
