// A CommonJS user: require("blasnet") by its package name (Node >= 20.19 can require ES modules),
// then train a tiny model and print what the test compares with the ES module's results.
"use strict";
const { Matrix, Model, blasInfo } = require("blasnet");

const X = Matrix.from([
  [1, -1, 2, -2],
  [0.5, 0.25, -0.5, 1],
]);
const Y = Matrix.from([[1, 0, 1, 0]]);
const model = new Model([2, 3, 1], { seed: 2 });
const { costs } = model.fit(X, Y, { learningRate: 0.1, iterations: 50, costEvery: 10 });
console.log(JSON.stringify({ costs, predictions: model.predict(X).toArray(), core: blasInfo().coreName }));
