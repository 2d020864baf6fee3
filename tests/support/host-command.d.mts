export const HOST_NODE_FLAGS: string[];
/** The arguments after `node` that start the built host from `root` with `args`. */
export function hostArgs(root: string, args: string[]): string[];
