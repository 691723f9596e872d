#!/usr/bin/env bash
# A one-node SLURM cluster on this machine, for the SLURM tests and CI: installs
# Debian's slurm-wlm and munge if missing, writes /etc/slurm/slurm.conf for
# localhost (one node with the machine's CPUs, partition "debug"), starts munged,
# slurmctld and slurmd directly (no systemd), and waits until sinfo shows the node
# idle. Idempotent: with the cluster up it returns at once. Needs root.
# Exit status 0 when the cluster is up; otherwise 1 with the reason on stderr.
set -uo pipefail

say() { echo "test/slurm/start.sh: $*" >&2; }
up() { command -v sinfo >/dev/null && [[ "$(sinfo -h -n localhost -o %t 2>/dev/null)" =~ ^(idle|mix|alloc) ]]; }

if up; then exit 0; fi
if [ "$(id -u)" != 0 ]; then say "needs root (to install and start slurm)"; exit 1; fi

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  say "installing slurm-wlm and munge"
  # the packages' scripts must not start daemons of their own (there is no init to run them)
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d.el2sim
  policy=0; if [ ! -e /usr/sbin/policy-rc.d ]; then cp /usr/sbin/policy-rc.d.el2sim /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; policy=1; fi
  rm -f /usr/sbin/policy-rc.d.el2sim
  (apt-get update -qq && apt-get install -y -qq --no-install-recommends slurm-wlm munge) >&2
  rc=$?
  [ $policy = 1 ] && rm -f /usr/sbin/policy-rc.d
  if [ $rc != 0 ]; then say "apt-get install slurm-wlm munge failed"; exit 1; fi
fi

# munge: a key, its directories, the daemon
if [ ! -s /etc/munge/munge.key ]; then
  mkdir -p /etc/munge
  if command -v mungekey >/dev/null; then mungekey --create --keyfile=/etc/munge/munge.key --force >&2; else dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none; fi
fi
mkdir -p /run/munge /var/lib/munge /var/log/munge
if id munge >/dev/null 2>&1; then chown munge:munge /etc/munge/munge.key /run/munge /var/lib/munge /var/log/munge; fi
chmod 0400 /etc/munge/munge.key; chmod 0700 /etc/munge
if ! pgrep -x munged >/dev/null; then
  if id munge >/dev/null 2>&1; then runuser -u munge -- munged --force >&2 || munged --force >&2; else munged --force >&2; fi
fi
for _ in $(seq 50); do munge -n </dev/null >/dev/null 2>&1 && break; sleep 0.1; done
if ! munge -n </dev/null | unmunge >/dev/null 2>&1; then say "munged did not start (munge -n | unmunge fails)"; exit 1; fi

# slurm.conf: the node as slurmd sees the hardware, named localhost
conf=/etc/slurm/slurm.conf
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
hw=$(slurmd -C 2>/dev/null | head -1 | sed -e 's/^NodeName=[^ ]* //' -e 's/ *UpTime=.*//')
[ -n "$hw" ] || hw="CPUs=$(nproc)"
# leave memory for the daemons, and RealMemory in MB as slurm counts it
mem=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
hw=$(echo "$hw" | sed -e "s/RealMemory=[0-9]*/RealMemory=$mem/")
[[ "$hw" == *RealMemory=* ]] || hw="$hw RealMemory=$mem"
want="# written by el2sim test/slurm/start.sh: a one-node cluster on localhost
ClusterName=el2sim
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=600
KillWait=5
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmdSpoolDir=/var/spool/slurmd
StateSaveLocation=/var/spool/slurmctld
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP"
restart=0
if [ ! -f $conf ] || [ "$(cat $conf)" != "$want" ]; then echo "$want" >$conf; restart=1; fi
if [ $restart = 1 ]; then
  # daemons started with another configuration: stop them (by their pid files) to start again
  for d in slurmd slurmctld; do
    if [ -s /run/$d.pid ] && pgrep -x $d >/dev/null; then kill "$(cat /run/$d.pid)" 2>/dev/null; fi
  done
  for _ in $(seq 50); do pgrep -x slurmd >/dev/null || pgrep -x slurmctld >/dev/null || break; sleep 0.1; done
fi
pgrep -x slurmctld >/dev/null || slurmctld -c >&2 || { say "slurmctld did not start (/var/log/slurm/slurmctld.log)"; exit 1; }
pgrep -x slurmd >/dev/null || slurmd -N localhost >&2 || { say "slurmd did not start (/var/log/slurm/slurmd.log)"; exit 1; }

for i in $(seq 60); do
  state=$(sinfo -h -n localhost -o %t 2>/dev/null)
  case "$state" in
    idle|mix|alloc) say "one-node cluster up (partition debug, node localhost)"; exit 0 ;;
    down*|drain*|drng*) scontrol update nodename=localhost state=resume >/dev/null 2>&1 ;;
  esac
  sleep 1
done
say "the node did not become idle (sinfo: ${state:-no answer}); see /var/log/slurm/"
exit 1
