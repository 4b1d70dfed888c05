#!/usr/bin/env python3
"""Where a JVM's resident memory is at its peak, for every JVM an AgentComparison run starts.

Usage: python3 benchmarks/scripts/rss-breakdown.py <pid of the AgentComparison JVM> <output file>
(start it right after the harness; it ends with it). Every 100 ms it reads /proc/<child>/smaps of each child JVM and
keeps the sample with the largest total Rss. Anonymous mappings are merged into the contiguous reservations they
belong to: one as large as the maximum heap is the Java heap, 1 GiB is the compressed class space, an executable
one (or 240 MiB) is the code cache; everything else anonymous (metaspace, malloc arenas, thread stacks, GC data) is
one line. File mappings are named by file (libjvm.so, the CDS archive, the agent jar's central directory). Pair it
with -Dbench.jvmArgs="-XX:NativeMemoryTracking=summary -XX:+UnlockDiagnosticVMOptions -XX:+PrintNMTStatistics
-XX:+LogVMOutput -XX:LogFile=/tmp/vm-%p.log" for the JVM's own account of the anonymous part (committed at exit).
"""
import os
import re
import sys
import time


def max_heap_bytes():
    # the children use the JVM's default maximum heap unless bench.jvmArgs sets one; ask the same JVM
    out = os.popen('java -XX:+PrintFlagsFinal -version 2>/dev/null').read()
    m = re.search(r'MaxHeapSize\s*=\s*(\d+)', out)
    return int(m.group(1)) if m else 0


HEAP = max_heap_bytes()


def children(pid):
    out = []
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            st = open('/proc/%s/stat' % d).read()
            if int(st[st.rindex(')') + 2:].split()[1]) == pid:
                out.append(int(d))
        except (OSError, ValueError):
            pass
    return out


def sample(pid):
    try:
        lines = open('/proc/%d/smaps' % pid).read().splitlines()
    except OSError:
        return None
    maps = []
    for line in lines:
        m = re.match(r'^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$', line)
        if m:
            maps.append([int(m.group(1), 16), int(m.group(2), 16), m.group(3), m.group(4), 0])
        elif line.startswith('Rss:') and maps:
            maps[-1][4] = int(line.split()[1])
    cats, total, i = {}, 0, 0
    while i < len(maps):
        lo, hi, perm, path, rss = maps[i]
        if path:
            key = path if path.startswith('[') else 'file:' + os.path.basename(path)
            cats[key] = cats.get(key, 0) + rss
            total += rss
            i += 1
            continue
        j, group_rss, group_hi, executable = i, rss, hi, 'x' in perm
        while j + 1 < len(maps) and not maps[j + 1][3] and maps[j + 1][0] == group_hi:
            j += 1
            group_hi = maps[j][1]
            group_rss += maps[j][4]
            executable = executable or 'x' in maps[j][2]
        size = group_hi - lo
        if HEAP and abs(size - HEAP) < 64 << 20:
            key = 'java heap'
        elif size == 1 << 30:
            key = 'class space'
        elif executable or abs(size - 240 * 1048576) < 1 << 20:
            key = 'code cache'
        else:
            key = 'other anon (metaspace, malloc, stacks, GC data)'
        cats[key] = cats.get(key, 0) + group_rss
        total += group_rss
        i = j + 1
    return total, cats


def describe(pid):
    try:
        args = open('/proc/%d/cmdline' % pid).read().split('\0')
    except OSError:
        return '?'
    agent = [a for a in args if a.startswith('-javaagent:')]
    client = [a.split('=', 1)[1] for a in args if a.startswith('-Dcomparison.client=')]
    return (agent[0][len('-javaagent:'):] if agent else 'no agent') + ' ' + (client[0] if client else '?')


def main():
    harness, out = int(sys.argv[1]), sys.argv[2]
    best, names = {}, {}
    while os.path.exists('/proc/%d' % harness):
        for c in children(harness):
            s = sample(c)
            if not s:
                continue
            if c not in names or names[c] == '?':
                names[c] = describe(c)
            if c not in best or s[0] > best[c][0]:
                best[c] = s
        time.sleep(0.1)
    with open(out, 'w') as f:
        for c, (total, cats) in best.items():
            f.write('pid %d %s: sampled peak rss %.1f MB\n' % (c, names.get(c), total / 1024.0))
            for k, kb in sorted(cats.items(), key=lambda x: -x[1]):
                if kb > 700:
                    f.write('   %-50s %7.1f MB\n' % (k, kb / 1024.0))


if __name__ == '__main__':
    main()
