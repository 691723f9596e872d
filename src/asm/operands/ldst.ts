// Operand kinds of the ldst group (filled by its owner).
export {};
