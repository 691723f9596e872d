// Operand kinds of the dp-reg group (filled by its owner).
export {};
