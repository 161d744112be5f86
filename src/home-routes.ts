import type { FastifyPluginAsync } from 'fastify';
import { html } from './views/html.js';

/** The home page: what Latchkey is and where to start. */
const homeRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', { config: { public: true } }, async (request, reply) => {
    const user = request.user;
    return reply.page(
      'Home',
      html`<section class="hero">
<h1>Latchkey</h1>
<p class="lead">A small message board that shows session-based login done properly: accounts with bcrypt-hashed passwords, sessions you can revoke, and messages only their authors can change.</p>
${user
  ? html`<p class="button-row"><a class="button" href="/users/welcome">Continue as ${user.username}</a> <a class="button secondary" href="/users/${user.id}/messages/new">Write a message</a></p>`
  : html`<p class="button-row"><a class="button" href="/users/signup">Create an account</a> <a class="button secondary" href="/users/login">Log in</a></p>`}
</section>
<h2>Where to start</h2>
<ol class="steps">
<li><strong>Sign up</strong> with a username and a password; you are logged in at once.</li>
<li><strong>Write a message</strong> from your messages page; edit or delete it whenever you like.</li>
<li><strong>Read</strong> <a href="/messages">everyone's messages</a>, and see who else is here.</li>
</ol>
<h2>Session demos</h2>
<p class="muted">Plain-text pages that show a session and a cookie at work.</p>
<ul class="demo-links">
<li>Counter: <a href="/start_counter">start</a>, <a href="/count">count</a>, <a href="/get_count">read</a>, <a href="/clear_count">clear</a></li>
<li>Cookie: <a href="/cookies">read the username cookie</a>, <a href="/cookies/set?username=guest">set it to “guest”</a></li>
</ul>`,
    );
  });
};

export default homeRoutes;
