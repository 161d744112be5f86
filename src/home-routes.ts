import type { FastifyPluginAsync } from 'fastify';
import { html } from './views/html.js';

/** The home page: what Latchkey is and where to start. */
const homeRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', { config: { public: true } }, async (request, reply) => {
    const user = request.user;
    return reply.page(
      'Home',
      html`<h1>Latchkey</h1>
<p class="lead">Accounts, sessions and messages: sign up, log in, and write messages only you can change.</p>
${user
  ? html`<p><a class="button" href="/users/welcome">Continue as ${user.username}</a></p>`
  : html`<p><a class="button" href="/users/signup">Sign up</a> or <a href="/users/login">log in</a>.</p>`}
<h2>Try the session demos</h2>
<ul class="actions">
<li><a href="/start_counter">Start a counter</a>, then <a href="/count">count</a>, <a href="/get_count">read it</a> or <a href="/clear_count">clear it</a>.</li>
<li><a href="/cookies">Read the username cookie</a> or <a href="/cookies/set?username=guest">set it</a>.</li>
<li><a href="/messages">Read everyone's messages</a>.</li>
</ul>`,
    );
  });
};

export default homeRoutes;
