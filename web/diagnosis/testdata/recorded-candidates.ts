// ICE candidates recorded from Debian's Firefox ESR 153.8.0esr and Chromium 156 gathering against four fake STUN
// endpoints (10.77.0.3 and 10.77.0.4, ports 3478 and 3479, in that order in iceServers) inside a network namespace,
// which answered like a NAT would: `apdm` a different mapped port per endpoint (203.0.113.7:40000-40003), `eim` the
// same one (203.0.113.7:40000) for all, `host` the request's real source (no NAT). Candidate lines and the url the
// browser gave (RTCIceCandidate.url / the event's url), nothing else. Firefox sets no url; Chromium does.
export interface RecordedCandidate {
  candidate: string;
  url: string | null;
}

export interface RecordedGathering {
  state: RTCIceGatheringState;
  candidates: RecordedCandidate[];
}

export const RECORDED_GATHERINGS: Record<string, RecordedGathering> = {
  "firefox-apdm": {
    "state": "complete",
    "candidates": [
      {
        "candidate": "candidate:0 1 UDP 2122252543 10.77.0.2 47246 typ host",
        "url": null
      },
      {
        "candidate": "candidate:3 1 TCP 2105524479 10.77.0.2 9 typ host tcptype active",
        "url": null
      },
      {
        "candidate": "candidate:1 1 UDP 1686052863 203.0.113.7 40000 typ srflx raddr 10.77.0.2 rport 47246",
        "url": null
      },
      {
        "candidate": "candidate:1 1 UDP 1686052607 203.0.113.7 40001 typ srflx raddr 10.77.0.2 rport 47246",
        "url": null
      },
      {
        "candidate": "candidate:2 1 UDP 1686052351 203.0.113.7 40002 typ srflx raddr 10.77.0.2 rport 47246",
        "url": null
      },
      {
        "candidate": "candidate:2 1 UDP 1686052095 203.0.113.7 40003 typ srflx raddr 10.77.0.2 rport 47246",
        "url": null
      }
    ]
  },
  "chromium-apdm": {
    "state": "complete",
    "candidates": [
      {
        "candidate": "candidate:2958218017 1 udp 2113937151 10.77.0.2 44348 typ host generation 0 ufrag jdBG network-cost 999",
        "url": null
      },
      {
        "candidate": "candidate:814170967 1 udp 1677729535 203.0.113.7 40000 typ srflx raddr 10.77.0.2 rport 44348 generation 0 ufrag jdBG network-cost 999",
        "url": "stun:10.77.0.3:3478"
      },
      {
        "candidate": "candidate:814170967 1 udp 1677729535 203.0.113.7 40001 typ srflx raddr 10.77.0.2 rport 44348 generation 0 ufrag jdBG network-cost 999",
        "url": "stun:10.77.0.3:3479"
      },
      {
        "candidate": "candidate:814170967 1 udp 1677729535 203.0.113.7 40002 typ srflx raddr 10.77.0.2 rport 44348 generation 0 ufrag jdBG network-cost 999",
        "url": "stun:10.77.0.4:3478"
      },
      {
        "candidate": "candidate:814170967 1 udp 1677729535 203.0.113.7 40003 typ srflx raddr 10.77.0.2 rport 44348 generation 0 ufrag jdBG network-cost 999",
        "url": "stun:10.77.0.4:3479"
      }
    ]
  },
  "firefox-eim": {
    "state": "complete",
    "candidates": [
      {
        "candidate": "candidate:0 1 UDP 2122252543 10.77.0.2 56460 typ host",
        "url": null
      },
      {
        "candidate": "candidate:3 1 TCP 2105524479 10.77.0.2 9 typ host tcptype active",
        "url": null
      },
      {
        "candidate": "candidate:1 1 UDP 1686052863 203.0.113.7 40000 typ srflx raddr 10.77.0.2 rport 56460",
        "url": null
      }
    ]
  },
  "chromium-eim": {
    "state": "complete",
    "candidates": [
      {
        "candidate": "candidate:723486140 1 udp 2113937151 10.77.0.2 44817 typ host generation 0 ufrag J/y9 network-cost 999",
        "url": null
      },
      {
        "candidate": "candidate:2615687209 1 udp 1677729535 203.0.113.7 40000 typ srflx raddr 10.77.0.2 rport 44817 generation 0 ufrag J/y9 network-cost 999",
        "url": "stun:10.77.0.3:3478"
      }
    ]
  },
  "firefox-host": {
    "state": "complete",
    "candidates": [
      {
        "candidate": "candidate:0 1 UDP 2122252543 10.77.0.2 50583 typ host",
        "url": null
      },
      {
        "candidate": "candidate:3 1 TCP 2105524479 10.77.0.2 9 typ host tcptype active",
        "url": null
      }
    ]
  },
  "chromium-host": {
    "state": "complete",
    "candidates": [
      {
        "candidate": "candidate:3075655759 1 udp 2113937151 10.77.0.2 46903 typ host generation 0 ufrag eDhg network-cost 999",
        "url": null
      },
      {
        "candidate": "candidate:128284122 1 udp 1677729535 10.77.0.2 46903 typ srflx raddr 10.77.0.2 rport 46903 generation 0 ufrag eDhg network-cost 999",
        "url": "stun:10.77.0.3:3478"
      }
    ]
  }
};

export const RECORDED_ENDPOINTS = [
  { role: 'primary', url: 'stun:10.77.0.3:3478', host: '10.77.0.3', port: 3478 },
  { role: 'alt-port', url: 'stun:10.77.0.3:3479', host: '10.77.0.3', port: 3479 },
  { role: 'alt-ip', url: 'stun:10.77.0.4:3478', host: '10.77.0.4', port: 3478 },
  { role: 'alt-ip-port', url: 'stun:10.77.0.4:3479', host: '10.77.0.4', port: 3479 },
] as const;
