// How Chromium is started on this machine: Debian's build at /usr/bin/chromium (or $CHROMIUM),
// headless, as root without the sandbox, with no GPU and no background connections to Google's
// hosts (which a closed network refuses); every run gets a fresh, empty --user-data-dir (given
// to launchPersistentContext, which passes it on).
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
