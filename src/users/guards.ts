import { requireOwner } from 'latchkey';
import { idParam } from '../route-params.js';

/** Only the user named by the route's `:id` may go on; anyone else goes to the welcome page. */
export const requireCorrectUser = requireOwner((request) => idParam(request));
