#!/usr/bin/env node
// Compiles the sandbox Solidity contracts with solc-js and writes one JSON file per contract
// ({ contractName, abi, bytecode, methodIdentifiers, compiler }) into the output directory.
// Usage: node compile-contracts.js <node_modules dir> <output dir> <evm version> <file.sol>...
// Run by the CompileContracts target of Flock.Sandbox.Evm.csproj; the output is never committed.
'use strict';
const fs = require('fs');
const path = require('path');

const [nodeModules, outDir, evmVersion, ...sources] = process.argv.slice(2);
if (!nodeModules || !outDir || !evmVersion || sources.length === 0) {
  console.error('usage: compile-contracts.js <node_modules dir> <output dir> <evm version> <file.sol>...');
  process.exit(2);
}

let solc;
try {
  solc = require(path.join(path.resolve(nodeModules), 'solc'));
} catch (e) {
  console.error(`compile-contracts: error: solc-js not found under ${nodeModules}: run \`make tools\` in the repository root (${e.code || e.message})`);
  process.exit(3);
}

const input = {
  language: 'Solidity',
  sources: {},
  settings: {
    evmVersion,
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.methodIdentifiers'] } },
  },
};
const fullPaths = {};
for (const file of sources) {
  input.sources[path.basename(file)] = { content: fs.readFileSync(file, 'utf8') };
  fullPaths[path.basename(file)] = path.resolve(file);
}

const output = JSON.parse(solc.compile(JSON.stringify(input)));
let failed = false;
for (const err of output.errors || []) {
  // MSBuild picks up "file(line,col): error CODE: message" lines from Exec output.
  const loc = err.sourceLocation;
  let where = 'solc';
  if (loc && fullPaths[loc.file]) {
    const before = input.sources[loc.file].content.slice(0, Math.max(0, loc.start));
    const lineNo = before.split('\n').length;
    const col = before.length - before.lastIndexOf('\n');
    where = `${fullPaths[loc.file]}(${lineNo},${col})`;
  }
  const line = `${where}: ${err.severity} SOLC${err.errorCode || ''}: ${err.message}`;
  if (err.severity === 'error') { failed = true; console.error(line); } else { console.log(line); }
}
if (failed) process.exit(1);

fs.mkdirSync(outDir, { recursive: true });
let written = 0;
for (const [file, contracts] of Object.entries(output.contracts || {})) {
  for (const [contractName, c] of Object.entries(contracts)) {
    const bytecode = c.evm && c.evm.bytecode && c.evm.bytecode.object;
    if (!bytecode) continue; // interfaces have no bytecode
    const json = {
      contractName,
      source: file,
      compiler: solc.version(),
      evmVersion,
      abi: c.abi,
      bytecode: '0x' + bytecode,
      methodIdentifiers: c.evm.methodIdentifiers,
    };
    const target = path.join(outDir, `${contractName}.json`);
    const text = JSON.stringify(json, null, 1) + '\n';
    if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== text) fs.writeFileSync(target, text);
    else fs.utimesSync(target, new Date(), new Date()); // keep the MSBuild Outputs newer than the Inputs
    written++;
  }
}
console.log(`compile-contracts: ${written} contract(s) compiled with solc ${solc.version()} (evm ${evmVersion}) into ${outDir}`);
