/** Configuration of @careplane/plugin-compliance-backend (none yet; the owner adds keys here). */
export interface Config {}
