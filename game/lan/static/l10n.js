// 3,500 Miles: the pages' own words in the language the teacher's program speaks (docs/lan.md, "Languages").
// The server puts the translations into the page as a JSON data block, <script type="application/json"
// id="strings">, which the browser never runs (the CSP allows no inline script). t(message) and tn(singular, plural, n)
// read it; a message it does not list is shown in English. {name} in a message is filled from `values`.
"use strict";
var STRINGS = (function () {
  var block = document.getElementById("strings");
  try { return (block && JSON.parse(block.textContent).messages) || {}; } catch (e) { return {}; }
})();

function fill(message, values) {
  if (!values) return message;
  return message.replace(/\{(\w+)\}/g, function (all, name) {
    return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
  });
}

function t(message, values) {
  var said = Object.prototype.hasOwnProperty.call(STRINGS, message) ? STRINGS[message] : message;
  return fill(typeof said === "string" ? said : message, values);
}

function tn(singular, plural, n, values) {
  var said = Object.prototype.hasOwnProperty.call(STRINGS, singular) ? STRINGS[singular] : null;
  var words;
  if (typeof said === "string") words = said;                        // one form (Korean)
  else if (said && said.length === 2) words = said[0][said[1][n < 200 ? n : 100 + n % 100]];  // the server's rule
  else words = n === 1 ? singular : plural;                          // not translated: English
  var all = { n: n };
  if (values) for (var k in values) if (Object.prototype.hasOwnProperty.call(values, k)) all[k] = values[k];
  return fill(words, all);
}
