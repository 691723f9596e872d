// Every operand kind, registered by importing its file. One file per family.
import './registers.js';
import './immediates.js';
import './labels.js';
import './cond.js';
import './dp-imm.js';
import './dp-reg.js';
import './ldst.js';
import './system.js';
export { operandKind, operandKinds } from '../operand.js';
