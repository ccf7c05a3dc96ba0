#!/usr/bin/perl
# Launcher of a sharded p2pcheck TURN server (TURN_WORKERS > 1). Node 20's dgram cannot set SO_REUSEPORT, so this
# creates, for every UDP listening endpoint, one SO_REUSEPORT socket per worker, then execs the Node command with
# those descriptors open. Each worker thread adopts one with socket.bind({ fd }); the kernel hashes every client
# address to one socket, so a client's datagrams always reach the worker that holds its allocation.
#
#   reuseport-sockets.pl <workers> <endpoint>... -- <command> <args>...
#   endpoint: family/via/address/port    port: a number (0 = ephemeral) or @via (the port resolved for that via)
#             a via ending in ? is optional (e.g. IPv6 on a host without it): skipped with a warning on failure.
# The command gets TURN_SHARD_FDS="family/via/port/fd,fd,...;..." in its environment. Exit 2 on any other failure.
use strict;
use warnings;
use Socket qw(:DEFAULT inet_pton pack_sockaddr_in6 unpack_sockaddr_in6 AF_INET6 IPPROTO_IPV6 IPV6_V6ONLY SO_REUSEPORT);

my $workers = shift @ARGV;
die "usage: $0 <workers> <endpoint>... -- <command>...\n" unless defined $workers && $workers =~ /^\d+$/ && $workers >= 1;
my @endpoints;
while (@ARGV && $ARGV[0] ne '--') { push @endpoints, shift @ARGV; }
shift @ARGV;
die "$0: no command after --\n" unless @ARGV;

$^F = 100000; # descriptors created from here on stay open across exec
my (%port_of, @out, @keep);
ENDPOINT: for my $spec (@endpoints) {
  my ($family, $via, $address, $port) = $spec =~ m{^([46])/([a-z-]+\??)/([^/]+)/(\d+|@[a-z-]+)$}
    or die "$0: bad endpoint \"$spec\"\n";
  my $optional = $via =~ s/\?$//;
  if ($port =~ /^@(.+)$/) {
    defined $port_of{$1} or die "$0: $spec refers to $1, which is not bound\n";
    $port = $port_of{$1};
  }
  my @fds;
  for my $i (1 .. $workers) {
    my ($sock, $err);
    my $ok = eval {
      if ($family == 4) {
        my $ip = inet_aton($address) // die "not an IPv4 address: $address\n";
        socket($sock, PF_INET, SOCK_DGRAM, 0) or die "socket: $!\n";
        setsockopt($sock, SOL_SOCKET, SO_REUSEPORT, 1) or die "SO_REUSEPORT: $!\n";
        bind($sock, pack_sockaddr_in($port, $ip)) or die "bind $address:$port: $!\n";
        ($port) = unpack_sockaddr_in(getsockname($sock)) if $port == 0;
      } else {
        my $ip = inet_pton(AF_INET6, $address) // die "not an IPv6 address: $address\n";
        socket($sock, AF_INET6, SOCK_DGRAM, 0) or die "socket: $!\n";
        setsockopt($sock, IPPROTO_IPV6, IPV6_V6ONLY, 1) or die "IPV6_V6ONLY: $!\n";
        setsockopt($sock, SOL_SOCKET, SO_REUSEPORT, 1) or die "SO_REUSEPORT: $!\n";
        bind($sock, pack_sockaddr_in6($port, $ip)) or die "bind [$address]:$port: $!\n";
        ($port) = unpack_sockaddr_in6(getsockname($sock)) if $port == 0;
      }
      1;
    };
    if (!$ok) {
      $err = $@;
      chomp $err;
      if ($optional) {
        print STDERR "p2pcheck TURN: $family/$via listener skipped: $err\n";
        next ENDPOINT;
      }
      die "p2pcheck TURN: cannot bind UDP $family/$via: $err" . ($err =~ /in use/i ? ' (another STUN/TURN server running? set TURN_PORT / TURN_ALT_PORT)' : '') . "\n";
    }
    push @keep, $sock;
    push @fds, fileno($sock);
  }
  $port_of{$via} = $port;
  push @out, "$family/$via/$port/" . join(',', @fds);
}
$ENV{TURN_SHARD_FDS} = join(';', @out);
exec { $ARGV[0] } @ARGV or die "p2pcheck TURN: cannot exec $ARGV[0]: $!\n";
