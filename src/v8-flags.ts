import v8 from 'node:v8';

// Imported first by the server entry, before the app allocates anything.
//
// V8's allocation-site pretenuring guesses, per allocation site, which objects will live long
// and allocates them straight in the old generation. Under a steady request load it sometimes
// guesses wrong and falls into a promotion cascade: every scavenge promotes megabytes instead of
// kilobytes and a full mark-compact follows every second or two, adding about 100 µs to every
// request until the process restarts (13 of 24 starts measured; none of 30 with it off). A
// server's objects are per request or live for its whole life; the guess buys nothing here.
// Set at run time it takes effect: with it, `--trace-pretenuring-statistics` reports no
// pretenuring decisions at all (Node keeps V8's flags writable after start).
v8.setFlagsFromString('--no-allocation-site-pretenuring');
