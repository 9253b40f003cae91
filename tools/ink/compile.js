// Compiles an .ink file to JSON with the compiler inside the inkjs package.
"use strict";
const fs = require("fs");
const { Compiler } = require("inkjs/full");
const [source, target] = process.argv.slice(2);
const compiled = new Compiler(fs.readFileSync(source, "utf-8")).Compile();
fs.writeFileSync(target, compiled.ToJson());
