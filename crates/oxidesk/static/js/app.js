// Entry module of every dashboard page: starts the live connection. Pages' own modules listen
// for `oxidesk:event` on `document`.
import { connectLive } from "./live.js";

connectLive();
