/**
 * The pages every Node peer serves, padded to one byte size (PAGE_BYTES, the
 * size of Latchkey's welcome page when the driver measured it) so that no peer
 * wins by sending less HTML.
 */
const PAGE_BYTES = Number(process.env.PAGE_BYTES) || 2048;

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Pads a page with an HTML comment before </body> up to PAGE_BYTES bytes. */
export function padded(html) {
  const missing = PAGE_BYTES - Buffer.byteLength(html) - '<!---->'.length;
  if (missing <= 0) return html;
  return html.replace('</body>', `<!--${'.'.repeat(missing)}--></body>`);
}

function layout(title, nav, body) {
  return padded(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>
<nav>${nav}</nav>
${body}</body></html>`);
}

const anonymousNav = '<a href="/users/login">Log in</a> <a href="/users/signup">Sign up</a>';

/** The logged-in welcome page for `user` ({ id, username }). */
export function welcomePage(user, csrfToken = '') {
  const name = escapeHtml(user.username);
  const nav = `<span id="who">${name}</span>
<form method="post" action="/users/logout"><input type="hidden" name="csrf_token" value="${csrfToken}"><button>Log out</button></form>`;
  return layout('Welcome', nav, `<h1>Welcome, ${name}!</h1><a href="/users/${user.id}">Your profile</a>`);
}

/** The anonymous login form. */
export function loginPage(csrfToken = '') {
  return layout('Log in', anonymousNav, `<h1>Login</h1><form method="post" action="/users/login">
<input type="hidden" name="csrf_token" value="${csrfToken}">
<input name="username"><input name="password" type="password"><button>Log in</button></form>`);
}

/** The anonymous signup form. */
export function signupPage(csrfToken = '') {
  return layout('Sign up', anonymousNav, `<h1>Sign up</h1><form method="post" action="/users/signup">
<input type="hidden" name="csrf_token" value="${csrfToken}">
<input name="username"><input name="password" type="password">
<input name="first_name"><input name="last_name"><button>Submit</button></form>`);
}
