// Status page of the SICORA gateway (gateway.md R57): no external assets, only same-origin requests.
/* global document, window, sessionStorage, history, Node */
'use strict';
(function () {
  const LABELS = { up: 'Operativo', degraded: 'Degradado', down: 'Caído', disabled: 'En mantenimiento', unknown: 'Degradado' };
  const BANNER = { healthy: 'Plataforma operativa', degraded: 'Plataforma degradada', unhealthy: 'Plataforma con fallas' };
  const CIRCUIT = { closed: 'cerrado', half_open: 'semiabierto', open: 'abierto', forced_open: 'forzado abierto', forced_closed: 'forzado cerrado' };
  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => (k === 'class' ? (node.className = v) : node.setAttribute(k, v)));
    children.forEach((c) => node.append(c instanceof Node ? c : document.createTextNode(c == null ? '—' : String(c))));
    return node;
  };
  const time = (iso) => (iso ? new Date(iso).toLocaleTimeString('es-CO') : '—');

  function cardState(s) {
    if (s.status === 'up' && s.circuit !== 'closed') return 'degraded';
    return s.status === 'unknown' ? 'degraded' : s.status;
  }

  async function refreshHealth() {
    try {
      const res = await fetch('/health', { headers: { accept: 'application/json' }, cache: 'no-store' });
      const body = await res.json();
      const report = body.success ? body.data : body.error && body.error.details;
      if (!report || !report.services) throw new Error('sin reporte');
      const banner = $('banner');
      banner.className = `banner ${report.status}`;
      banner.textContent = `${BANNER[report.status] || report.status} · ${report.summary.up}/${report.summary.total} servicios operativos`;
      banner.dataset.status = report.status;
      $('checked-at').textContent = time(report.checked_at);
      const cards = report.services.map((s) => {
        const state = cardState(s);
        return el('article', { class: `card ${state}`, 'data-service': s.name },
          el('h3', {}, s.display_name),
          el('div', { class: 'state' }, LABELS[state] || state),
          el('dl', {},
            el('dt', {}, 'Latencia'), el('dd', {}, s.latency_ms == null ? '—' : `${s.latency_ms} ms`),
            el('dt', {}, 'Circuito'), el('dd', {}, CIRCUIT[s.circuit] || s.circuit),
            el('dt', {}, 'Última verificación'), el('dd', {}, time(s.checked_at))));
      });
      $('cards').replaceChildren(...cards);
    } catch {
      $('banner').className = 'banner unhealthy';
      $('banner').textContent = 'No se pudo consultar el estado del gateway';
    }
  }

  function token() {
    return sessionStorage.getItem('sicora_token') || '';
  }

  async function api(path, init) {
    const res = await fetch(path, { ...(init || {}), headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer ${token()}` } });
    const body = await res.json().catch(() => ({}));
    return { status: res.status, body };
  }

  async function circuitAction(service, action) {
    if (!window.confirm(`¿Confirma ${action} en el circuito de ${service}?`)) return;
    await api(`/api/v1/gateway/services/${service}/circuit`, { method: 'POST', body: JSON.stringify({ action }) });
    refreshAdmin();
    refreshHealth();
  }

  async function refreshAdmin() {
    const panel = $('admin-panel');
    if (!token()) return;
    panel.hidden = false;
    const status = await api('/api/v1/gateway/status');
    if (status.status !== 200) {
      panel.replaceChildren(el('p', { class: 'restricted' }, 'Acceso restringido'));
      return;
    }
    const outcomes = 'client_error,server_error,unauthenticated,forbidden,rate_limited,route_not_found,payload_too_large,bad_request,bad_gateway,gateway_timeout,unavailable,client_aborted,gateway_error';
    const [stats, errors] = await Promise.all([api('/api/v1/gateway/stats?window=1h'), api(`/api/v1/gateway/request-logs?outcome=${outcomes}&page_size=20`)]);
    const statRows = ((stats.body.data && stats.body.data.services) || []).map((s) =>
      el('tr', {}, el('td', {}, s.service), el('td', {}, s.requests), el('td', {}, s.errors_5xx), el('td', {}, s.error_rate), el('td', {}, s.p50_ms), el('td', {}, s.p95_ms), el('td', {}, s.p99_ms), el('td', {}, s.rate_limited)));
    const errorRows = (errors.body.data || []).map((r) =>
      el('tr', {}, el('td', {}, time(r.occurred_at)), el('td', {}, r.method), el('td', {}, r.path), el('td', {}, r.status), el('td', {}, r.outcome), el('td', {}, r.request_id)));
    const buttons = status.body.data.services.map((s) =>
      el('tr', {}, el('td', {}, s.display_name), el('td', {}, CIRCUIT[s.circuit.state] || s.circuit.state),
        el('td', {}, ...['force_open', 'force_closed', 'reset'].map((action) => {
          const b = el('button', { type: 'button', 'data-action': action, 'data-service': s.name }, action);
          b.addEventListener('click', () => circuitAction(s.name, action));
          return b;
        }))));
    panel.replaceChildren(
      el('p', {}, `Versión de configuración: ${status.body.data.config_version}`),
      el('h3', {}, 'Estadísticas (última hora)'),
      el('table', { id: 'stats-table' }, el('tr', {}, ...['Servicio', 'Solicitudes', '5xx', 'Tasa de error', 'p50 ms', 'p95 ms', 'p99 ms', 'Limitadas'].map((h) => el('th', {}, h))), ...statRows),
      el('h3', {}, 'Errores recientes'),
      el('table', { id: 'errors-table' }, el('tr', {}, ...['Hora', 'Método', 'Ruta', 'Estado', 'Resultado', 'Solicitud'].map((h) => el('th', {}, h))), ...errorRows),
      el('h3', {}, 'Circuitos'),
      el('table', { id: 'circuits-table' }, ...buttons),
    );
  }

  const fragment = new URLSearchParams(window.location.hash.slice(1));
  if (fragment.get('token')) {
    sessionStorage.setItem('sicora_token', fragment.get('token'));
    history.replaceState(null, '', window.location.pathname);
  }
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem('sicora_token', $('token').value.trim());
    refreshAdmin();
  });
  refreshHealth();
  refreshAdmin();
  // ?refresh_ms= lets an operator (or a test) refresh faster than the default 10 s.
  const every = Math.max(500, Number(new URLSearchParams(window.location.search).get('refresh_ms')) || 10000);
  setInterval(() => { refreshHealth(); refreshAdmin(); }, every);
})();
