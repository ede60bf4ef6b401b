// `npm start`: build when the sources changed, then run Syncline in this same process, so signals
// sent to it reach the app directly.
require('./build').build();
require('../dist/src/main.js');
