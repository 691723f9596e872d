// Operand kinds of the system group (filled by its owner).
export {};
