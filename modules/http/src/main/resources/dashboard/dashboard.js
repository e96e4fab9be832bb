// Lanes dashboard (issue 7, item 3): polls GET /api/v1/admin/dashboard every second with the
// admin token, keeps the last minutes of lane holders in this tab and draws them as a timeline.
// Plain JavaScript, no build step, nothing loaded from elsewhere; text goes in with textContent.
(function () {
  'use strict';

  var TOKEN_KEY = 'lanes.dashboard.token';
  var POLL_MS = 1000;
  var KEEP_MS = 15 * 60 * 1000; // the longest timeline window offered
  var STALE_MS = 5000; // an open segment stops growing when no snapshot came for this long

  var state = {
    token: null,
    offsetMs: 0, // server clock minus this browser's clock, from the last snapshot
    lastAt: 0, // server time of the last snapshot (ms)
    snapshot: null,
    history: {}, // backend -> lane -> [segment]
    windowMs: 300 * 1000,
    timer: null,
  };

  // ---- small helpers -------------------------------------------------------------------------

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function td(text, cls) { return el('td', cls, text); }

  function serverNow() { return Date.now() + state.offsetMs; }

  /** The last 8 hex digits of a UUID: enough to tell jobs apart on screen (the title has all). */
  function shortId(id) {
    if (!id) { return ''; }
    var hex = String(id).replace(/-/g, '');
    return hex.length > 12 ? hex.slice(-8) : String(id);
  }

  function parseTime(s) { return s ? Date.parse(s) : null; }

  function duration(seconds) {
    if (seconds === null || seconds === undefined || isNaN(seconds)) { return '—'; }
    var s = Math.max(0, seconds);
    if (s === 0) { return '0 s'; }
    if (s < 1) { return s.toFixed(3) + ' s'; }
    if (s < 60) { return s.toFixed(s < 10 ? 1 : 0) + ' s'; }
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = Math.floor(s % 60);
    if (h > 0) { return h + ' h ' + pad(m) + ' m'; }
    return m + ' m ' + pad(r) + ' s';
  }

  function clock(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return (h > 0 ? h + ':' + pad(m) : String(m)) + ':' + pad(r);
  }

  function pad(n) { return n < 10 ? '0' + n : String(n); }

  function hhmmss(ms) {
    var d = new Date(ms);
    return pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds()) + ' UTC';
  }

  function setConn(stateName, text) {
    var c = $('conn');
    c.dataset.state = stateName;
    c.textContent = text;
  }

  // ---- the token -----------------------------------------------------------------------------

  function readToken() {
    var m = /(?:^|[#&])token=([^&]*)/.exec(window.location.hash || '');
    if (m) {
      var t = decodeURIComponent(m[1]);
      try { sessionStorage.setItem(TOKEN_KEY, t); } catch (e) { /* private mode: kept in memory */ }
      // the fragment never reaches a server; take it out of the address bar and history too
      history.replaceState(null, '', window.location.pathname + window.location.search);
      return t;
    }
    try { return sessionStorage.getItem(TOKEN_KEY); } catch (e) { return null; }
  }

  function useToken(t) {
    state.token = t && t.trim() ? t.trim() : null;
    try {
      if (state.token) { sessionStorage.setItem(TOKEN_KEY, state.token); } else { sessionStorage.removeItem(TOKEN_KEY); }
    } catch (e) { /* ignore */ }
    $('token').value = '';
    $('token').placeholder = state.token ? 'token set (•••)' : 'admin token';
    if (state.timer) { clearTimeout(state.timer); state.timer = null; }
    if (state.token) { poll(); } else { setConn('idle', 'not connected'); }
  }

  // ---- polling -------------------------------------------------------------------------------

  function poll() {
    var started = Date.now();
    var next = function () {
      state.timer = setTimeout(poll, Math.max(0, POLL_MS - (Date.now() - started)));
    };
    if (!state.token) { return; }
    fetch('/api/v1/admin/dashboard', {
      headers: { 'Authorization': 'Bearer ' + state.token, 'Accept': 'application/json' },
      cache: 'no-store',
    }).then(function (r) {
      if (r.status === 401 || r.status === 403) {
        return r.json().catch(function () { return {}; }).then(function (body) {
          var msg = body && body.errors && body.errors[0] ? body.errors[0].message : 'refused';
          setConn('unauthorized', (r.status === 401 ? 'token refused: ' : 'not an admin token: ') + msg);
          state.token = null;
          try { sessionStorage.removeItem(TOKEN_KEY); } catch (e) { /* ignore */ }
          $('token').placeholder = 'admin token';
        });
      }
      if (!r.ok) {
        return r.json().catch(function () { return {}; }).then(function (body) {
          var msg = body && body.errors && body.errors[0] ? body.errors[0].message : r.statusText;
          setConn('error', 'HTTP ' + r.status + ': ' + msg);
          next();
        });
      }
      return r.json().then(function (snap) {
        received(snap, started);
        setConn('live', 'live');
        next();
      });
    }).catch(function (e) {
      setConn('error', 'no answer: ' + e.message);
      next();
    });
  }

  function received(snap, askedAt) {
    var now = parseTime(snap.now);
    // the server's now was taken somewhere between our ask and its answer: take the middle
    state.offsetMs = now - (askedAt + Date.now()) / 2;
    state.lastAt = now;
    state.snapshot = snap;
    remember(snap, now);
    render(snap);
    tick();
  }

  // ---- the timeline's memory -----------------------------------------------------------------

  function holderKey(l) {
    if (!l.mode) { return null; }
    if (l.mode === 'maintenance' || l.mode === 'draining') { return l.mode + ':' + (l.maintenance ? l.maintenance.id : ''); }
    return l.mode + ':' + l.job_id;
  }

  function holderLabel(l) {
    switch (l.mode) {
      case 'job': return 'job ' + shortId(l.job_id);
      case 'dedicated': return 'session ' + shortId(l.session_id) + ' · job ' + shortId(l.job_id);
      case 'batch': return 'batch ' + shortId(l.session_id) + ' · job ' + shortId(l.job_id);
      case 'maintenance': return (l.maintenance ? l.maintenance.kind : 'maintenance');
      case 'draining': return 'waiting for ' + (l.maintenance ? l.maintenance.kind : 'maintenance');
      default: return '';
    }
  }

  function holderTitle(l) {
    var lines = [l.mode];
    if (l.job_id) { lines.push('job ' + l.job_id); }
    if (l.session_id) { lines.push((l.mode === 'batch' ? 'batch ' : 'session ') + l.session_id); }
    if (l.instance) { lines.push('instance ' + l.instance); }
    if (l.maintenance) { lines.push(l.maintenance.kind + ' ' + l.maintenance.id); }
    if (l.since) { lines.push('since ' + l.since); }
    return lines.join('\n');
  }

  function remember(snap, now) {
    (snap.backends || []).forEach(function (b) {
      var lanes = state.history[b.name] || (state.history[b.name] = {});
      (b.lane_holders || []).forEach(function (l) {
        var segs = lanes[l.lane] || (lanes[l.lane] = []);
        var last = segs.length ? segs[segs.length - 1] : null;
        var key = holderKey(l);
        if (last && last.open && last.key === key) {
          last.end = now;
          return;
        }
        if (last && last.open) { last.open = false; }
        if (key) {
          var since = parseTime(l.since);
          var start = since && since <= now ? since : now;
          if (last && start < last.end) { start = last.end; }
          segs.push({ key: key, mode: l.mode, label: holderLabel(l), title: holderTitle(l), start: start, end: now, open: true });
        }
      });
      Object.keys(lanes).forEach(function (k) {
        lanes[k] = lanes[k].filter(function (s) { return s.open || s.end >= now - KEEP_MS; });
      });
    });
  }

  // ---- rendering of a snapshot ---------------------------------------------------------------

  function render(snap) {
    var host = $('backends');
    var names = (snap.backends || []).map(function (b) { return b.name; });
    if (host.querySelector('.empty')) { host.textContent = ''; }
    Array.prototype.slice.call(host.children).forEach(function (c) {
      if (names.indexOf(c.dataset.backend) < 0) { host.removeChild(c); }
    });
    (snap.backends || []).forEach(function (b) { host.appendChild(renderBackend(b)); });
    renderSessions(snap.sessions || []);
    renderUsage(snap.usage || []);
  }

  function backendCard(name) {
    var card = document.querySelector('.backend[data-backend="' + CSS.escape(name) + '"]');
    if (card) { return card; }
    card = el('div', 'backend');
    card.dataset.backend = name;
    var head = el('div', 'backend-head');
    head.appendChild(el('h3', null, name));
    head.appendChild(el('span', 'badge'));
    head.appendChild(el('div', 'facts'));
    card.appendChild(head);
    card.appendChild(el('div', 'lanes'));
    var q = el('div', 'queue');
    q.appendChild(el('h4'));
    var table = el('table', 'grid queue-table');
    var tr = el('tr');
    ['#', 'job', 'instance', 'session', 'class', 'share', 'waited', 'expected start', 'why'].forEach(function (h) {
      tr.appendChild(el('th', null, h));
    });
    var thead = el('thead');
    thead.appendChild(tr);
    table.appendChild(thead);
    table.appendChild(el('tbody'));
    q.appendChild(table);
    q.appendChild(el('div', 'more'));
    card.appendChild(q);
    return card;
  }

  function renderBackend(b) {
    var card = backendCard(b.name);
    var badge = card.querySelector('.badge');
    var status = b.error ? 'error' : (b.status || 'active');
    badge.dataset.status = status;
    badge.textContent = status;
    badge.title = b.error || b.message || '';

    var facts = card.querySelector('.facts');
    facts.textContent = '';
    function fact(label, value) {
      var s = el('span');
      s.appendChild(document.createTextNode(label + ' '));
      s.appendChild(el('b', null, value));
      facts.appendChild(s);
    }
    if (b.error) {
      facts.appendChild(el('span', 'error', b.error));
    } else {
      fact('lanes', b.lanes_busy + ' / ' + b.lanes + ' busy');
      fact('queued', b.length_queue);
      fact('qubits', b.qubits);
      var holder = b.holder && b.holder.kind ? b.holder.kind + ' ' + shortId(b.holder.id) : 'nobody';
      fact('held by', holder);
      if (b.maintenance_running) {
        fact('maintenance', b.maintenance_running.kind + ' until ' + hhmmss(parseTime(b.maintenance_running.ends_at)));
      }
      if (b.maintenance_pending && b.maintenance_pending.length) {
        fact('maintenance waiting', b.maintenance_pending.map(function (m) { return m.kind; }).join(', '));
      }
      if (b.status === 'paused' && b.message) { facts.appendChild(el('span', 'error', b.message)); }
    }

    var lanesBox = card.querySelector('.lanes');
    var holders = b.lane_holders || [];
    if (lanesBox.childElementCount !== holders.length + 1) {
      lanesBox.textContent = '';
      holders.forEach(function (l) {
        var row = el('div', 'lane');
        row.dataset.backend = b.name;
        row.dataset.lane = l.lane;
        row.appendChild(el('div', 'lane-name', 'lane ' + l.lane));
        row.appendChild(el('div', 'track'));
        var h = el('div', 'holder');
        h.appendChild(el('span', 'kind'));
        h.appendChild(el('span', 'who'));
        row.appendChild(h);
        lanesBox.appendChild(row);
      });
      lanesBox.appendChild(el('div', 'axis'));
    }
    holders.forEach(function (l, i) {
      var row = lanesBox.children[i];
      row.dataset.mode = l.mode || 'free';
      row.dataset.jobId = l.job_id || '';
      row.dataset.sessionId = l.session_id || '';
      var h = row.querySelector('.holder');
      h.title = l.mode ? holderTitle(l) : 'free';
      h.querySelector('.kind').textContent = l.mode || 'free';
      var who = l.mode ? holderLabel(l) : '';
      if (l.instance) { who += ' · ' + l.instance; }
      h.querySelector('.who').textContent = who;
    });

    renderQueue(card, b);
    return card;
  }

  function renderQueue(card, b) {
    var queue = b.queue || [];
    var total = b.length_queue || 0;
    var head = total === 0 ? 'Queue: empty' : 'Queue: ' + total + ' waiting, in start order';
    if (total > 0 && b.holder && b.holder.kind === 'session') {
      head += ' · session ' + shortId(b.holder.id) + ' holds the backend: only its jobs start (R5a, R7)';
    } else if (total > 0 && b.status === 'maintenance') {
      head += ' · nothing starts while the maintenance runs (R24)';
    } else if (total > 0 && b.status === 'paused') {
      head += ' · nothing starts while the backend is paused';
    } else if (total > 0 && (b.lane_holders || []).some(function (l) { return l.mode === 'draining'; })) {
      head += ' · new jobs wait while the lanes drain for maintenance (R24)';
    }
    card.querySelector('.queue h4').textContent = head;
    card.querySelector('.queue-table').style.display = queue.length ? '' : 'none';
    var body = card.querySelector('.queue-table tbody');
    body.textContent = '';
    var now = state.lastAt;
    queue.forEach(function (q) {
      var tr = el('tr', 'queued');
      tr.dataset.jobId = q.job_id;
      tr.appendChild(td(q.queue_position, 'num'));
      var job = td(shortId(q.job_id), 'mono');
      job.title = q.job_id;
      tr.appendChild(job);
      tr.appendChild(td(q.instance));
      var s = td(q.session_id ? shortId(q.session_id) : '—', 'mono');
      if (q.session_id) { s.title = q.session_id; }
      tr.appendChild(s);
      var cls = td();
      cls.appendChild(el('span', 'pill ' + q.priority_class, String(q.priority_class).replace('_', ' ')));
      tr.appendChild(cls);
      tr.appendChild(td(q.fair_share_ratio === null || q.fair_share_ratio === undefined ? '—' : q.fair_share_ratio.toFixed(3), 'num'));
      tr.appendChild(td(duration(q.waited_seconds), 'num'));
      var est = parseTime(q.estimated_start);
      tr.appendChild(td(est === null ? '—' : (est <= now ? 'now' : 'in ' + duration((est - now) / 1000)), 'num'));
      tr.appendChild(td(q.why || '', 'why'));
      body.appendChild(tr);
    });
    var more = total - queue.length;
    card.querySelector('.queue .more').textContent = more > 0 ? '… and ' + more + ' more' : '';
  }

  function renderSessions(sessions) {
    var body = document.querySelector('#sessions tbody');
    body.textContent = '';
    if (!sessions.length) {
      var tr = el('tr');
      var c = td('no open sessions or batches', 'empty');
      c.colSpan = 9;
      tr.appendChild(c);
      body.appendChild(tr);
      return;
    }
    sessions.forEach(function (s) {
      var tr = el('tr', 'session');
      tr.dataset.sessionId = s.id;
      var id = td(shortId(s.id), 'mono');
      id.title = s.id;
      tr.appendChild(id);
      var mode = td();
      mode.appendChild(el('span', 'pill ' + s.mode, s.mode));
      tr.appendChild(mode);
      tr.appendChild(td(s.backend_name));
      tr.appendChild(td(s.instance));
      var st = td();
      st.appendChild(el('span', 'pill ' + s.state, s.state + (s.accepting_jobs ? '' : ' · not accepting')));
      tr.appendChild(st);
      var j = s.jobs || {};
      tr.appendChild(td((j.queued || 0) + ' / ' + (j.running || 0) + ' / ' + (j.ended || 0), 'num'));
      tr.appendChild(countdownCell('interactive', s.interactive_deadline,
        s.state === 'active' ? 'runs when idle (' + s.interactive_ttl + ' s)' : '—'));
      tr.appendChild(countdownCell('max', s.max_ttl_deadline,
        s.started_at ? '—' : 'from 1st job (' + duration(s.max_ttl) + ')'));
      tr.appendChild(countdownCell('unused', s.unused_deadline, '—'));
      body.appendChild(tr);
    });
  }

  function countdownCell(kind, deadline, otherwise) {
    var c = td(null, 'num');
    var span = el('span', 'countdown');
    span.dataset.kind = kind;
    if (deadline) {
      span.dataset.deadline = deadline;
    } else {
      span.classList.add('off');
      span.textContent = otherwise;
    }
    c.appendChild(span);
    return c;
  }

  function renderUsage(usage) {
    var body = document.querySelector('#usage tbody');
    body.textContent = '';
    usage.forEach(function (u) {
      var tr = el('tr', 'usage');
      tr.dataset.instance = u.instance;
      tr.dataset.consumed = u.usage_consumed_seconds === null ? '' : u.usage_consumed_seconds;
      tr.appendChild(td(u.instance, 'mono'));
      tr.appendChild(td(u.plan || '—'));
      tr.appendChild(td(u.error ? 'no answer' : duration(u.usage_consumed_seconds), 'num consumed'));
      tr.appendChild(td(duration(u.usage_allocation_seconds), 'num'));
      tr.appendChild(td(u.usage_limit_seconds === null ? 'none' : duration(u.usage_limit_seconds) + (u.limited ? ' (limited)' : ''), 'num'));
      var frac = u.allocation_fraction;
      var barCell = td();
      var bar = el('div', 'bar' + (u.usage_limit_reached || frac > 1 ? ' over' : ''));
      var fill = el('span');
      fill.style.width = frac === null || frac === undefined ? '0' : Math.min(100, frac * 100).toFixed(2) + '%';
      bar.appendChild(fill);
      bar.title = frac === null || frac === undefined ? '' : (frac * 100).toFixed(2) + ' % of the allocation';
      barCell.appendChild(bar);
      tr.appendChild(barCell);
      body.appendChild(tr);
    });
  }

  // ---- what moves between snapshots: the timeline and the countdowns -------------------------

  function tick() {
    var now = serverNow();
    if (state.lastAt) { $('server-time').textContent = hhmmss(now); }
    drawTimelines(now);
    document.querySelectorAll('.countdown[data-deadline]').forEach(function (span) {
      var left = parseTime(span.dataset.deadline) - now;
      span.textContent = left > 0 ? clock(left) : 'due';
      span.classList.toggle('soon', left < 10000);
    });
  }

  function drawTimelines(now) {
    var w = state.windowMs;
    var from = now - w;
    var liveUntil = Math.min(now, state.lastAt + STALE_MS);
    document.querySelectorAll('.backend').forEach(function (card) {
      var lanes = state.history[card.dataset.backend] || {};
      card.querySelectorAll('.lane').forEach(function (row) {
        var track = row.querySelector('.track');
        track.textContent = '';
        (lanes[row.dataset.lane] || []).forEach(function (s) {
          var end = s.open ? Math.max(s.end, liveUntil) : s.end;
          if (end < from) { return; }
          var start = Math.max(s.start, from);
          var seg = el('div', 'seg ' + s.mode + (s.open ? ' current' : ''));
          seg.style.left = ((start - from) / w * 100).toFixed(3) + '%';
          seg.style.width = (Math.max(0, end - start) / w * 100).toFixed(3) + '%';
          seg.title = s.title;
          seg.textContent = s.label;
          track.appendChild(seg);
        });
      });
      var axis = card.querySelector('.axis');
      if (axis && axis.dataset.window !== String(w)) {
        axis.dataset.window = String(w);
        axis.textContent = '';
        var steps = 5;
        for (var i = steps; i >= 0; i--) {
          var secs = Math.round(w / 1000 * i / steps);
          axis.appendChild(el('span', null, i === 0 ? 'now' : '−' + (secs >= 60 ? (secs / 60) + ' min' : secs + ' s')));
        }
      }
    });
  }

  // ---- start ---------------------------------------------------------------------------------

  document.addEventListener('DOMContentLoaded', function () {
    $('token-form').addEventListener('submit', function (e) {
      e.preventDefault();
      useToken($('token').value);
    });
    $('forget').addEventListener('click', function () { useToken(null); });
    $('window').addEventListener('change', function () {
      state.windowMs = Number($('window').value) * 1000;
      tick();
    });
    setInterval(tick, 250);
    var t = readToken();
    if (t) { useToken(t); } else { setConn('idle', 'enter an admin token'); }
  });
})();
