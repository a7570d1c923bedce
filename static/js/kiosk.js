/* Shared kiosk behaviour: the clock, the connection badge, cycling languages. */
(function (global) {
  "use strict";
  var Kiosk = {};

  Kiosk.startClock = function () {
    var clock = document.getElementById("clock");
    if (!clock) return;
    var tick = function () {
      clock.textContent = global.fairTime(new Date());
    };
    tick();
    setInterval(tick, 10000);
  };

  Kiosk.setStatus = function (state) {
    var badge = document.getElementById("conn");
    if (!badge) return;
    badge.dataset.state = state;
    var text = badge.dataset["text" + state.charAt(0).toUpperCase() + state.slice(1)];
    if (text) badge.textContent = text;
  };

  // Every [data-i18n] label shows its next translation every `every` ms.
  Kiosk.cycleLanguages = function (languages, every) {
    if (!languages || !languages.length) return;
    var index = 0;
    Kiosk.language = languages[0];
    if (languages.length < 2) return;
    setInterval(function () {
      index = (index + 1) % languages.length;
      Kiosk.language = languages[index];
      document.querySelectorAll("[data-i18n]").forEach(function (node) {
        var texts = JSON.parse(node.dataset.i18n);
        if (texts[Kiosk.language]) node.textContent = texts[Kiosk.language];
      });
    }, every || 8000);
  };

  Kiosk.t = function (table, message, language) {
    var texts = table[message] || {};
    return texts[language || Kiosk.language] || texts.en || message;
  };

  // A short two-tone chime through WebAudio (no sound files, works offline).
  Kiosk.chime = function () {
    try {
      var Ctx = global.AudioContext || global.webkitAudioContext;
      if (!Ctx) return;
      Kiosk.audio = Kiosk.audio || new Ctx();
      var ctx = Kiosk.audio;
      [[880, 0], [660, 0.35]].forEach(function (tone) {
        var osc = ctx.createOscillator();
        var gain = ctx.createGain();
        osc.frequency.value = tone[0];
        gain.gain.setValueAtTime(0.0001, ctx.currentTime + tone[1]);
        gain.gain.exponentialRampToValueAtTime(0.4, ctx.currentTime + tone[1] + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + tone[1] + 0.3);
        osc.connect(gain).connect(ctx.destination);
        osc.start(ctx.currentTime + tone[1]);
        osc.stop(ctx.currentTime + tone[1] + 0.32);
      });
    } catch (err) { /* sound is a nicety */ }
  };

  // Spoken announcement through the browser's offline speech synthesis, if any.
  Kiosk.say = function (text, language) {
    if (!global.speechSynthesis || !global.SpeechSynthesisUtterance) return;
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = language === "sr-latn" ? "sr-Latn-RS" : language === "ro" ? "ro-RO" : "en-GB";
    global.speechSynthesis.speak(utterance);
  };

  Kiosk.config = function () {
    var node = document.getElementById("kiosk-config");
    return node ? JSON.parse(node.textContent) : {};
  };

  global.Kiosk = Kiosk;
  document.addEventListener("DOMContentLoaded", Kiosk.startClock);
})(window);
