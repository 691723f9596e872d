// Process entry, as Linux starts a static program: sp -> argc, argv[], NULL, envp[], NULL, auxv.
    .text
    .global _start
_start:
    ldr x0, [sp]
    add x1, sp, #8
    bl main
    bl exit
