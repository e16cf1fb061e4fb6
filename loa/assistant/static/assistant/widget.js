/* Loa chat widget: a button that opens a small chat with the ward's assistant.
   Plain JavaScript, no dependencies; embed with
   <script src="/static/assistant/widget.js" data-loa-ward="hai-duong" defer></script> */
(function () {
  "use strict";
  var script = document.currentScript;
  var ward = script && script.getAttribute("data-loa-ward");
  var base = script ? script.src.replace(/\/static\/assistant\/widget\.js.*$/, "") : "";
  var conversation = null;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var key in attrs || {}) node.setAttribute(key, attrs[key]);
    if (text) node.textContent = text;
    return node;
  }
  function post(path, body) {
    return fetch(base + "/api/assistant/" + path, {
      method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (data) { if (!r.ok) throw new Error(data.detail || "Lỗi"); return data; });
    });
  }

  var css = el("link", {rel: "stylesheet", href: base + "/static/assistant/widget.css"});
  document.head.appendChild(css);
  var button = el("button", {"class": "loa-chat-open", type: "button", "aria-expanded": "false", "aria-controls": "loa-chat"}, "Hỏi trợ lý");
  var panel = el("section", {id: "loa-chat", "class": "loa-chat", hidden: "", "aria-label": "Trợ lý hỏi - đáp"});
  var header = el("div", {"class": "loa-chat-head"}, "Trợ lý hỏi - đáp của phường");
  var close = el("button", {type: "button", "aria-label": "Đóng"}, "×");
  header.appendChild(close);
  var log = el("div", {"class": "loa-chat-log", role: "log", "aria-live": "polite"});
  var form = el("form", {"class": "loa-chat-form"});
  var input = el("input", {type: "text", name: "q", maxlength: "2000", "aria-label": "Câu hỏi", placeholder: "Gõ câu hỏi, có dấu hay không dấu đều được"});
  var send = el("button", {type: "submit"}, "Gửi");
  form.appendChild(input); form.appendChild(send);
  panel.appendChild(header); panel.appendChild(log); panel.appendChild(form);
  document.body.appendChild(button); document.body.appendChild(panel);

  function toggle(open) {
    panel.hidden = !open; button.setAttribute("aria-expanded", String(open));
    if (open) input.focus();
  }
  button.addEventListener("click", function () { toggle(panel.hidden); });
  close.addEventListener("click", function () { toggle(false); button.focus(); });

  function say(who, text) {
    var p = el("p", {"class": "loa-" + who}, text);
    log.appendChild(p); log.scrollTop = log.scrollHeight; return p;
  }
  function feedback(box, exchangeId) {
    [["👍", 1, "Hữu ích"], ["👎", -1, "Chưa hữu ích"]].forEach(function (f) {
      var b = el("button", {type: "button", "aria-label": f[2]}, f[0]);
      b.addEventListener("click", function () {
        post("feedback", {exchange_id: exchangeId, conversation_id: conversation, value: f[1]}).then(function () { box.textContent = "Cảm ơn bạn đã đánh giá."; });
      });
      box.appendChild(b);
    });
  }
  function handoff(box, question) {
    var b = el("button", {type: "button"}, "Gặp tình nguyện viên");
    b.addEventListener("click", function () {
      fetch(base + "/api/assistant/residential-groups" + (ward ? "?ward=" + encodeURIComponent(ward) : ""))
        .then(function (r) { return r.json(); }).then(function (groups) {
          var pick = el("select", {"aria-label": "Tổ dân phố của bạn"});
          pick.appendChild(el("option", {value: ""}, "Chọn tổ dân phố của bạn"));
          groups.forEach(function (g) { pick.appendChild(el("option", {value: g.id}, g.name)); });
          var ok = el("button", {type: "button"}, "Gửi yêu cầu");
          ok.addEventListener("click", function () {
            if (!pick.value) return;
            post("handoff", {residential_group_id: Number(pick.value), question: question, conversation_id: conversation, ward: ward})
              .then(function (d) { box.textContent = d.message; })
              .catch(function (e) { box.textContent = e.message; });
          });
          box.replaceChildren(pick, ok);
        });
    });
    box.appendChild(b);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var question = input.value.trim();
    if (!question) return;
    say("me", question); input.value = "";
    var waiting = say("bot", "Đang tìm câu trả lời…");
    post("ask", {question: question, conversation_id: conversation, ward: ward}).then(function (data) {
      conversation = data.conversation_id;
      waiting.textContent = data.answer;
      // An answer cites its sources; a decline lists the nearest guides to read.
      var label = data.answered ? "Nguồn: " : "Đọc thêm: ";
      data.citations.slice(0, 2).forEach(function (c) {
        var src = el("p", {"class": "loa-source"});
        if (c.url) { var a = el("a", {href: c.url}, c.title); src.appendChild(document.createTextNode(label)); src.appendChild(a); }
        else src.textContent = label + c.title;
        log.appendChild(src);
      });
      if (data.lesson_url) { var l = el("p", {"class": "loa-source"}); l.appendChild(el("a", {href: data.lesson_url}, "Học bài liên quan")); log.appendChild(l); }
      var box = el("div", {"class": "loa-actions"});
      feedback(box, data.exchange_id); handoff(box, question);
      log.appendChild(box); log.scrollTop = log.scrollHeight;
    }).catch(function (e) { waiting.textContent = e.message || "Trợ lý đang bận, vui lòng thử lại sau."; });
  });
})();
