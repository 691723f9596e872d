// Operand kinds of the dp-imm group (filled by its owner).
export {};
