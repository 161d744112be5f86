import dbCommands from './db-commands.js';
import doctorCommand from './doctor-command.js';
import { registerImportFlask } from './import-flask.js';
import keysCommands from './keys-commands.js';
import type { RegisterCommands } from './command-group.js';
import { registerSendReset } from './send-reset.js';
import sessionsCommands from './sessions-commands.js';
import usersCommands from './users-commands.js';

/** Every command module of `latchkey`; add yours here (one file each, exporting a RegisterCommands). */
export const COMMANDS: RegisterCommands[] = [usersCommands, sessionsCommands, keysCommands, doctorCommand, dbCommands, registerImportFlask, registerSendReset];
