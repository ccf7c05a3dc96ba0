// Load generator for `npm run bench:turn`: paced ChannelData floods and one-way latency probes over loopback,
// with sendmmsg/recvmmsg so one CPU can out-send the server under test (a Node generator tops out near 50k
// packets/s send+receive on this class of machine). The TURN setup (allocations, channel bindings) is done in
// Node beforehand on the same source ports; this program binds those ports again and only moves datagrams.
//
//   udp-flood flood   <dst-port> <pps> <ms> <payload-bytes> <tx-port[:dst-port],...> <rx-ports,...>
//   udp-flood latency <dst-port> <pps> <count> <payload-bytes> <tx-port> <rx-port>
//
// Each datagram is a ChannelData message on channel 0x4000 (RFC 8656 §12.4); a tx port with its own destination
// (`src:dst`, e.g. an external peer sending to a relayed address) sends the same bytes as plain UDP payload.
// Output: one JSON line on stdout.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SOCKS 64
#define BATCH 32
#define MAGIC 0x4c415459u
#define TICK_NS 200000L

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static double cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int open_bound(int port) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  if (fd < 0) { perror("socket"); exit(2); }
  int size = 8 << 20;
  // Root may exceed net.core.rmem_max: a generator-side drop must not pass for server loss.
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) < 0) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) { fprintf(stderr, "bind 127.0.0.1:%d: %s\n", port, strerror(errno)); exit(2); }
  return fd;
}

// A port listed as both tx and rx (a client that sends and receives) gets one socket.
static int opened_port[2 * MAX_SOCKS], opened_fd[2 * MAX_SOCKS], nopened;

static int open_once(int port) {
  for (int i = 0; i < nopened; i++) if (opened_port[i] == port) return opened_fd[i];
  int fd = open_bound(port);
  if (nopened < 2 * MAX_SOCKS) { opened_port[nopened] = port; opened_fd[nopened++] = fd; }
  return fd;
}

static int parse_ports(const char *csv, int *fds, int *dsts) {
  int n = 0;
  char *copy = strdup(csv), *save = NULL;
  for (char *t = strtok_r(copy, ",", &save); t && n < MAX_SOCKS; t = strtok_r(NULL, ",", &save)) {
    char *colon = strchr(t, ':');
    if (dsts) dsts[n] = colon ? atoi(colon + 1) : 0;
    fds[n++] = open_once(atoi(t));
  }
  free(copy);
  return n;
}

static uint64_t drain(int *fds, int n, uint64_t *lat, uint64_t *nlat, uint64_t cap) {
  static char bufs[BATCH][2048];
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  uint64_t got = 0;
  for (int s = 0; s < n; s++) {
    for (;;) {
      for (int i = 0; i < BATCH; i++) {
        iov[i] = (struct iovec){ bufs[i], sizeof bufs[i] };
        msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i], .msg_iovlen = 1 } };
      }
      int r = recvmmsg(fds[s], msgs, BATCH, MSG_DONTWAIT, NULL);
      if (r <= 0) break;
      got += r;
      if (lat) {
        uint64_t t = now_ns();
        for (int i = 0; i < r; i++) {
          uint32_t magic;
          uint64_t sent;
          if (msgs[i].msg_len < 16) continue;
          memcpy(&magic, bufs[i] + 4, 4);
          memcpy(&sent, bufs[i] + 8, 8);
          if (magic == MAGIC && *nlat < cap) lat[(*nlat)++] = t - sent;
        }
      }
      if (r < BATCH) break;
    }
  }
  return got;
}

static void wait_rx(int *fds, int n, uint64_t until_ns) {
  struct pollfd p[MAX_SOCKS];
  for (int i = 0; i < n; i++) p[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
  uint64_t t = now_ns();
  if (until_ns <= t) return;
  uint64_t d = until_ns - t;
  struct timespec ts = { (time_t)(d / 1000000000ull), (long)(d % 1000000000ull) };
  ppoll(p, n, &ts, NULL);
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc != 8) {
    fprintf(stderr, "usage: udp-flood flood|latency <dst-port> <pps> <ms|count> <payload-bytes> <tx-ports> <rx-ports>\n");
    return 2;
  }
  int latency = strcmp(argv[1], "latency") == 0;
  int dst = atoi(argv[2]);
  double pps = atof(argv[3]);
  uint64_t limit = strtoull(argv[4], NULL, 10);
  int size = atoi(argv[5]);
  if (size < 16 || size > 1400 || pps <= 0) { fprintf(stderr, "bad size or rate\n"); return 2; }
  int tx[MAX_SOCKS], rx[MAX_SOCKS], txdst[MAX_SOCKS];
  int ntx = parse_ports(argv[6], tx, txdst), nrx = parse_ports(argv[7], rx, NULL);
  if (ntx == 0 || nrx == 0) { fprintf(stderr, "no ports\n"); return 2; }

  struct sockaddr_in to_server = { .sin_family = AF_INET, .sin_port = htons(dst), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  struct sockaddr_in to_each[MAX_SOCKS];
  for (int i = 0; i < ntx; i++) {
    to_each[i] = to_server;
    if (txdst[i]) to_each[i].sin_port = htons(txdst[i]);
  }
  static char pkts[BATCH][1500];
  struct iovec iov[BATCH];
  struct mmsghdr msgs[BATCH];
  for (int i = 0; i < BATCH; i++) {
    memset(pkts[i], 7, sizeof pkts[i]);
    pkts[i][0] = 0x40; pkts[i][1] = 0x00; pkts[i][2] = (char)(size >> 8); pkts[i][3] = (char)(size & 0xff);
    iov[i] = (struct iovec){ pkts[i], (size_t)(4 + size) };
    msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_namelen = sizeof to_server, .msg_iov = &iov[i], .msg_iovlen = 1 } };
  }

  uint64_t cap = latency ? limit : 0;
  uint64_t *lat = latency ? calloc(cap ? cap : 1, sizeof *lat) : NULL, nlat = 0;
  uint64_t sent = 0, received = 0, short_sends = 0, k = 0;
  double cpu0 = cpu_s();
  uint64_t start = now_ns(), period = (uint64_t)(1e9 / pps);
  uint64_t end_ns = latency ? start + limit * period : start + limit * 1000000ull;
  for (;;) {
    uint64_t t = now_ns();
    if (t >= end_ns || (latency && sent >= limit)) break;
    uint64_t due = (uint64_t)((double)(t - start) * pps / 1e9) + 1;
    if (due > sent) {
      int n = (int)(due - sent > BATCH ? BATCH : due - sent);
      if (latency) n = 1;
      for (int i = 0; i < n; i++) {
        uint32_t m = MAGIC;
        uint64_t ts = now_ns();
        memcpy(pkts[i] + 4, &m, 4);
        memcpy(pkts[i] + 8, &ts, 8);
      }
      int s = (int)(k++ % ntx);
      for (int i = 0; i < n; i++) msgs[i].msg_hdr.msg_name = &to_each[s];
      int r = sendmmsg(tx[s], msgs, n, 0);
      if (r < n) short_sends++;
      if (r > 0) sent += r;
    }
    if (due > sent + 1 && !latency) continue; // still behind: keep sending before anything else
    received += drain(rx, nrx, lat, &nlat, cap);
    if (latency) {
      // Probes: wake on arrival so each is timestamped promptly.
      uint64_t next = start + (uint64_t)((double)(sent) * 1e9 / pps);
      if (next > now_ns() + 20000) wait_rx(rx, nrx, next);
    } else {
      // Floods: work in ticks (send what is due, drain what arrived, sleep) so the cost per packet stays small
      // and CPU time says how busy the generator really is. Bursts of a tick fit the sockets' 4–8 MB buffers.
      struct timespec tick = { 0, TICK_NS };
      nanosleep(&tick, NULL);
    }
  }
  uint64_t sent_end = now_ns();
  double busy = cpu_s() - cpu0;
  // Stragglers count; stop after 300 ms of silence (at most 3 s).
  uint64_t quiet_since = now_ns();
  while (now_ns() - sent_end < 3000000000ull && now_ns() - quiet_since < 300000000ull) {
    uint64_t got = drain(rx, nrx, lat, &nlat, cap);
    if (got) { received += got; quiet_since = now_ns(); }
    wait_rx(rx, nrx, now_ns() + 20000000ull);
  }
  double secs = (double)(sent_end - start) / 1e9;
  printf("{\"sent\":%llu,\"received\":%llu,\"seconds\":%.4f,\"shortSends\":%llu,\"generatorCpu\":%.3f",
         (unsigned long long)sent, (unsigned long long)received, secs, (unsigned long long)short_sends, busy / secs);
  if (latency) {
    qsort(lat, nlat, sizeof *lat, cmp_u64);
    printf(",\"samples\":%llu,\"p50Us\":%.1f,\"p90Us\":%.1f,\"p99Us\":%.1f", (unsigned long long)nlat,
           nlat ? lat[nlat / 2] / 1e3 : -1.0, nlat ? lat[nlat * 9 / 10] / 1e3 : -1.0, nlat ? lat[nlat * 99 / 100] / 1e3 : -1.0);
  }
  printf("}\n");
  return 0;
}
