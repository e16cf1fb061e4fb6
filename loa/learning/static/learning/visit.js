/* Offline queue of the support-visit form (Tổ công nghệ số cộng đồng).
 *
 * A submission is stored in localStorage with a client-generated UUID and sent to the
 * JSON API when the phone is online: on submit, on page load, on the "online" event and
 * every minute while something waits. It is removed only after the server confirms
 * (201 created, 200 already recorded); the server is idempotent by client_id, so a
 * submission sent twice is recorded once. The CSRF token is read from the cookie at send
 * time, because a page opened from the service worker's cache carries an old one.
 * No library, no build step: the page must stay light on a cheap phone.
 */
(function () {
  "use strict";

  var QUEUE_KEY = "loa.visitQueue.v1";
  var REJECTED_KEY = "loa.visitRejected.v1";
  var form = document.getElementById("visit-form");
  if (!form) return;

  var apiUrl = form.getAttribute("data-api-url");
  var csrfCookie = form.getAttribute("data-csrf-cookie") || "csrftoken";
  var pendingEl = document.getElementById("visit-pending");
  var statusEl = document.getElementById("visit-status");
  var rejectedBox = document.getElementById("visit-rejected");
  var rejectedList = document.getElementById("visit-rejected-list");
  var sending = false;

  function load(key) {
    try {
      var items = JSON.parse(window.localStorage.getItem(key) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (e) {
      return [];
    }
  }

  function store(key, items) {
    window.localStorage.setItem(key, JSON.stringify(items));
  }

  function without(key, clientId) {
    // Re-read: another tab or a new submission may have changed the list meanwhile.
    store(key, load(key).filter(function (item) { return item.client_id !== clientId; }));
  }

  function newId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    // randomUUID needs HTTPS; a ward server on plain HTTP in the LAN still has this.
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function cookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) return decodeURIComponent(parts[i].slice(eq + 1));
    }
    return "";
  }

  function say(text) {
    statusEl.textContent = text || "";
  }

  function render() {
    var queue = load(QUEUE_KEY);
    pendingEl.textContent = queue.length ? queue.length + " lượt chưa gửi" +
      (navigator.onLine === false ? " (đang không có mạng, sẽ tự gửi khi có mạng)" : "") : "";
    var rejected = load(REJECTED_KEY);
    rejectedBox.hidden = rejected.length === 0;
    rejectedList.textContent = "";
    rejected.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = item.household_code + " · " + item.date + ": " + item.reason + " ";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn secondary";
      button.textContent = "Xóa";
      button.addEventListener("click", function () {
        without(REJECTED_KEY, item.client_id);
        render();
      });
      li.appendChild(button);
      rejectedList.appendChild(li);
    });
  }

  function reasonOf(body) {
    if (!body) return "Dữ liệu không hợp lệ.";
    var messages = [];
    if (body.errors) {
      Object.keys(body.errors).forEach(function (k) { messages = messages.concat(body.errors[k]); });
    }
    if (!messages.length && typeof body.detail === "string") messages.push(body.detail);
    if (!messages.length && Array.isArray(body.detail)) messages.push("Dữ liệu không hợp lệ.");
    return messages.join(" ");
  }

  function post(item) {
    return fetch(apiUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": cookie(csrfCookie)
      },
      body: JSON.stringify(item.payload)
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        return { status: response.status, body: body };
      });
    });
  }

  function refreshCsrf() {
    // Loading the form page sets a fresh CSRF cookie for the current session.
    return fetch(window.location.pathname, { credentials: "same-origin", cache: "no-store" })
      .catch(function () { return null; });
  }

  // Returns "sent", "rejected", "retry-later" or "signed-out".
  function sendOne(item, csrfRetried) {
    return post(item).then(function (r) {
      if (r.status === 200 || r.status === 201) {
        without(QUEUE_KEY, item.client_id);
        return "sent";
      }
      if (r.status === 401) return "signed-out";
      if (r.status === 403 && !(r.body && r.body.code)) {
        if (csrfRetried) return "signed-out";
        return refreshCsrf().then(function () { return sendOne(item, true); });
      }
      if (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) {
        // The server will never take this one as it is: keep it aside with the reason.
        var rejected = load(REJECTED_KEY);
        rejected.push({
          client_id: item.client_id,
          household_code: item.payload.household_code,
          date: item.payload.date,
          reason: reasonOf(r.body)
        });
        store(REJECTED_KEY, rejected);
        without(QUEUE_KEY, item.client_id);
        return "rejected";
      }
      return "retry-later";
    }, function () {
      return "retry-later";
    });
  }

  function flush() {
    if (sending || !load(QUEUE_KEY).length) {
      render();
      return Promise.resolve();
    }
    sending = true;
    var queue = load(QUEUE_KEY);
    var sent = 0;
    var rejected = 0;
    var i = 0;
    function next() {
      if (i >= queue.length) return Promise.resolve("done");
      var item = queue[i++];
      return sendOne(item, false).then(function (outcome) {
        if (outcome === "sent") sent++;
        if (outcome === "rejected") rejected++;
        if (outcome === "signed-out" || outcome === "retry-later") return outcome;
        return next();
      });
    }
    return next().then(function (outcome) {
      sending = false;
      var text = [];
      if (sent) text.push("Đã gửi " + sent + " lượt hỗ trợ.");
      if (rejected) text.push(rejected + " lượt bị từ chối, xem bên dưới.");
      if (outcome === "signed-out") {
        text.push("Phiên đăng nhập đã hết hạn: vui lòng đăng nhập lại để gửi các lượt còn lại.");
      } else if (outcome === "retry-later") {
        text.push("Chưa gửi được, sẽ thử lại khi có mạng.");
      }
      if (text.length) say(text.join(" "));
      render();
    });
  }

  function checked(name) {
    return Array.prototype.map.call(
      form.querySelectorAll("input[name=" + name + "]:checked"),
      function (input) { return input.value; }
    );
  }

  function looksPersonal(code) {
    return (code.match(/\d/g) || []).length > 8;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = form.elements.household_code.value.trim().toUpperCase();
    var helps = checked("helps");
    if (!code) {
      say("Vui lòng nhập mã hộ, ví dụ TDP3-012.");
      form.elements.household_code.focus();
      return;
    }
    if (looksPersonal(code)) {
      say("Mã hộ trông giống số điện thoại hoặc số CCCD/CMND. Chỉ ghi mã hộ do tổ quy ước (ví dụ TDP3-012).");
      form.elements.household_code.focus();
      return;
    }
    if (!helps.length) {
      say("Vui lòng chọn ít nhất một việc đã hỗ trợ.");
      return;
    }
    var clientId = newId();
    var team = form.elements.team ? parseInt(form.elements.team.value, 10) : NaN;
    var result = checked("result")[0] || "xong";
    var queue = load(QUEUE_KEY);
    queue.push({
      client_id: clientId,
      queued_at: new Date().toISOString(),
      payload: {
        client_id: clientId,
        team_id: isNaN(team) ? null : team,
        household_code: code,
        date: form.elements.date.value || null,
        helps: helps,
        result: result,
        people: parseInt(form.elements.people.value, 10) || 1,
        note: form.elements.note.value.trim()
      }
    });
    try {
      store(QUEUE_KEY, queue);
    } catch (e) {
      say("Bộ nhớ của trình duyệt đã đầy, chưa lưu được lượt này.");
      return;
    }
    // Ready for the next household; keep the team and the date.
    form.elements.household_code.value = "";
    form.elements.note.value = "";
    form.elements.people.value = "1";
    Array.prototype.forEach.call(form.querySelectorAll("input[name=helps]"), function (input) {
      input.checked = false;
    });
    say("Đã lưu lượt hỗ trợ hộ " + code + " trên máy.");
    render();
    flush();
  });

  window.addEventListener("online", flush);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") flush();
  });
  window.setInterval(function () {
    if (load(QUEUE_KEY).length) flush();
  }, 60000);

  if ("serviceWorker" in navigator && form.getAttribute("data-sw-url")) {
    navigator.serviceWorker.register(form.getAttribute("data-sw-url"), {
      scope: form.getAttribute("data-sw-scope") || undefined
    }).catch(function () { /* plain HTTP or private mode: the queue still works */ });
  }

  // Exposed for the browser tests and for debugging on a phone.
  window.loaVisitQueue = { flush: flush, pending: function () { return load(QUEUE_KEY); } };

  render();
  flush();
})();
