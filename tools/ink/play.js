// Plays random playthroughs of a compiled ink story and prints choices per second.
// Usage: node play.js story.ink.json CHOICES SEED
"use strict";
const fs = require("fs");
const { Story } = require("inkjs");

const [file, wanted, seedArg] = process.argv.slice(2);
const json = fs.readFileSync(file, "utf-8").replace(/^\uFEFF/, "");
const story = new Story(json);
let seed = Number(seedArg || 1) >>> 0;
function random() { // xorshift32: the same cheap generator on both sides of the comparison
  seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
  return seed / 4294967296;
}
const target = Number(wanted || 100000);
let choices = 0, runs = 0, words = 0;
const started = process.hrtime.bigint();
while (choices < target) {
  story.ResetState();
  story.state.storySeed = runs;
  runs += 1;
  for (;;) {
    const text = story.ContinueMaximally();
    words += text.length;
    const options = story.currentChoices;
    if (options.length === 0) break;
    story.ChooseChoiceIndex(Math.floor(random() * options.length));
    choices += 1;
  }
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(JSON.stringify({ choices, runs, seconds, per_second: choices / seconds, chars: words }));
