// Two real reports of one room (Chromium 156, both pages in one e2e namespace, default ICE policy, p2pcheck's
// TURN server with UDP and TCP URLs), trimmed to what relay-coverage reads. The offerer connected host↔host
// 594 ms after the test began and Chromium ended its gathering at 667 ms: its Chromium log shows both TURN
// allocations succeeding 0.3 ms and 141 ms after "gathering complete", never surfaced to the page.
import type { ConnectivityReport } from '../../common/report';

type Captured = Pick<ConnectivityReport, 'relayOnly' | 'peerState' | 'localCandidates' | 'remoteCandidates' | 'pairs' | 'iceServers' | 'errors' | 'iceEvents' | 'selectedPairHistory'>;

/** The first page in the room (answerer): relay candidates over UDP and TCP, gathered before it connected. */
export const ANSWERER_WITH_RELAY: Captured = {
  "relayOnly": false,
  "peerState": "connected",
  "localCandidates": [
    {
      "id": "IRQV/UY5e",
      "type": "host",
      "protocol": "udp",
      "address": "10.200.238.1",
      "port": 33153,
      "priority": 2113937151,
      "relayProtocol": null,
      "url": "",
      "at": 347
    },
    {
      "id": "IFso+4zQv",
      "type": "srflx",
      "protocol": "udp",
      "address": "10.200.238.1",
      "port": 33153,
      "priority": 1677729535,
      "relayProtocol": null,
      "url": "stun:10.200.238.1:3478",
      "at": 392
    },
    {
      "id": "IFOURd8Sa",
      "type": "relay",
      "protocol": "udp",
      "address": "10.200.238.1",
      "port": 58409,
      "priority": 50340095,
      "relayProtocol": "udp",
      "url": "turn:10.200.238.1:3478?transport=udp",
      "at": 439
    },
    {
      "id": "IHNQIiQQ1",
      "type": "relay",
      "protocol": "udp",
      "address": "10.200.238.1",
      "port": 57056,
      "priority": 16785407,
      "relayProtocol": "tcp",
      "url": "turn:10.200.238.1:3478?transport=tcp",
      "at": 482
    },
    {
      "id": "IGG62G0VD",
      "type": "host",
      "protocol": "tcp",
      "address": "0.0.0.0",
      "port": 9,
      "priority": 1509957375,
      "relayProtocol": null,
      "url": null,
      "at": null
    },
    {
      "id": "IPmCk5LLa",
      "type": "host",
      "protocol": "udp",
      "address": "::",
      "port": 44860,
      "priority": 2113939711,
      "relayProtocol": null,
      "url": null,
      "at": null
    },
    {
      "id": "IlrMP43zU",
      "type": "host",
      "protocol": "tcp",
      "address": "::",
      "port": 9,
      "priority": 1509959935,
      "relayProtocol": null,
      "url": null,
      "at": null
    }
  ],
  "remoteCandidates": [
    {
      "id": "ITmjdDUKR",
      "type": "host",
      "protocol": "udp",
      "address": "10.200.238.1",
      "port": 55892,
      "priority": 2113937151,
      "relayProtocol": null,
      "url": null,
      "at": 693
    },
    {
      "id": "remote-5",
      "type": "srflx",
      "protocol": "udp",
      "address": "10.200.238.1",
      "port": 55892,
      "priority": 1677729535,
      "relayProtocol": null,
      "url": null,
      "at": 753
    }
  ],
  "pairs": [
    {
      "id": "CPRQV/UY5e_TmjdDUKR",
      "localId": "IRQV/UY5e",
      "remoteId": "ITmjdDUKR",
      "state": "succeeded",
      "nominated": true,
      "requestsSent": 6,
      "responsesReceived": 6,
      "currentRtt": 88,
      "bytesSent": 112203,
      "bytesReceived": 4479760
    },
    {
      "id": "CPFOURd8Sa_TmjdDUKR",
      "localId": "IFOURd8Sa",
      "remoteId": "ITmjdDUKR",
      "state": "failed",
      "nominated": false,
      "requestsSent": 0,
      "responsesReceived": 0,
      "currentRtt": null,
      "bytesSent": 0,
      "bytesReceived": 0
    },
    {
      "id": "CPHNQIiQQ1_TmjdDUKR",
      "localId": "IHNQIiQQ1",
      "remoteId": "ITmjdDUKR",
      "state": "failed",
      "nominated": false,
      "requestsSent": 0,
      "responsesReceived": 0,
      "currentRtt": null,
      "bytesSent": 0,
      "bytesReceived": 0
    }
  ],
  "iceServers": [
    {
      "urls": [
        "stun:10.200.238.1:3478"
      ]
    },
    {
      "urls": [
        "turn:10.200.238.1:3478?transport=udp",
        "turn:10.200.238.1:3478?transport=tcp"
      ]
    }
  ],
  "errors": [],
  "iceEvents": [
    {
      "at": 340,
      "kind": "gathering",
      "state": "gathering"
    },
    {
      "at": 492,
      "kind": "gathering",
      "state": "complete"
    },
    {
      "at": 539,
      "kind": "dtls",
      "state": "new"
    },
    {
      "at": 583,
      "kind": "ice",
      "state": "checking"
    },
    {
      "at": 602,
      "kind": "ice",
      "state": "connected"
    },
    {
      "at": 605,
      "kind": "connection",
      "state": "connecting"
    },
    {
      "at": 633,
      "kind": "channel-open",
      "label": "p2pcheck"
    },
    {
      "at": 639,
      "kind": "connection",
      "state": "connected"
    },
    {
      "at": 1040,
      "kind": "pair",
      "pairId": "CPFOURd8Sa_TmjdDUKR",
      "local": "relay 10.200.238.1:58409",
      "remote": "host 10.200.238.1:55892",
      "state": "failed",
      "from": null
    },
    {
      "at": 1040,
      "kind": "pair",
      "pairId": "CPHNQIiQQ1_TmjdDUKR",
      "local": "relay 10.200.238.1:57056",
      "remote": "host 10.200.238.1:55892",
      "state": "failed",
      "from": null
    },
    {
      "at": 1040,
      "kind": "pair",
      "pairId": "CPRQV/UY5e_TmjdDUKR",
      "local": "host 10.200.238.1:33153",
      "remote": "host 10.200.238.1:55892",
      "state": "succeeded",
      "from": null
    },
    {
      "at": 1040,
      "kind": "dtls",
      "state": "connected"
    },
    {
      "at": 5585,
      "kind": "pair",
      "pairId": "CPRQV/UY5e_TmjdDUKR",
      "local": "host 10.200.238.1:33153",
      "remote": "host 10.200.238.1:55892",
      "state": "in-progress",
      "from": "succeeded"
    },
    {
      "at": 6203,
      "kind": "pair",
      "pairId": "CPRQV/UY5e_TmjdDUKR",
      "local": "host 10.200.238.1:33153",
      "remote": "host 10.200.238.1:55892",
      "state": "succeeded",
      "from": "in-progress"
    }
  ],
  "selectedPairHistory": [
    {
      "at": 1039,
      "localType": "host",
      "remoteType": "host",
      "local": "10.200.238.1:33153",
      "remote": "10.200.238.1:55892",
      "path": "direct-lan"
    }
  ]
};

/** The second page (offerer): no relay candidate, gathering ended right after the first pair connected. */
export const OFFERER_WITHOUT_RELAY: Captured = {
  "relayOnly": false,
  "peerState": "connected",
  "localCandidates": [
    {
      "id": "IQ8rwhbaB",
      "type": "host",
      "protocol": "udp",
      "address": "10.200.238.1",
      "port": 55892,
      "priority": 2113937151,
      "relayProtocol": null,
      "url": "",
      "at": 532
    },
    {
      "id": "Izu7L2ILL",
      "type": "srflx",
      "protocol": "udp",
      "address": "10.200.238.1",
      "port": 55892,
      "priority": 1677729535,
      "relayProtocol": null,
      "url": "stun:10.200.238.1:3478",
      "at": 573
    },
    {
      "id": "I0EHfOfgB",
      "type": "host",
      "protocol": "tcp",
      "address": "0.0.0.0",
      "port": 9,
      "priority": 1509957375,
      "relayProtocol": null,
      "url": null,
      "at": null
    },
    {
      "id": "Ia+6/XOMa",
      "type": "host",
      "protocol": "udp",
      "address": "::",
      "port": 32857,
      "priority": 2113939711,
      "relayProtocol": null,
      "url": null,
      "at": null
    },
    {
      "id": "IpKVwSjI7",
      "type": "host",
      "protocol": "tcp",
      "address": "::",
      "port": 9,
      "priority": 1509959935,
      "relayProtocol": null,
      "url": null,
      "at": null
    }
  ],
  "remoteCandidates": [
    {
      "id": "IaOQsP4p1",
      "type": "host",
      "protocol": "udp",
      "address": "10.200.238.1",
      "port": 33153,
      "priority": 2113937151,
      "relayProtocol": null,
      "url": null,
      "at": 382
    },
    {
      "id": "remote-1",
      "type": "srflx",
      "protocol": "udp",
      "address": "10.200.238.1",
      "port": 33153,
      "priority": 1677729535,
      "relayProtocol": null,
      "url": null,
      "at": 426
    },
    {
      "id": "I4ZJ3T2CF",
      "type": "relay",
      "protocol": "udp",
      "address": "10.200.238.1",
      "port": 58409,
      "priority": 50340095,
      "relayProtocol": null,
      "url": null,
      "at": 562
    },
    {
      "id": "I9agFIsA+",
      "type": "relay",
      "protocol": "udp",
      "address": "10.200.238.1",
      "port": 57056,
      "priority": 16785407,
      "relayProtocol": null,
      "url": null,
      "at": 706
    }
  ],
  "pairs": [
    {
      "id": "CPQ8rwhbaB_aOQsP4p1",
      "localId": "IQ8rwhbaB",
      "remoteId": "IaOQsP4p1",
      "state": "succeeded",
      "nominated": true,
      "requestsSent": 6,
      "responsesReceived": 6,
      "currentRtt": 108,
      "bytesSent": 5336876,
      "bytesReceived": 118117
    },
    {
      "id": "CPQ8rwhbaB_4ZJ3T2CF",
      "localId": "IQ8rwhbaB",
      "remoteId": "I4ZJ3T2CF",
      "state": "waiting",
      "nominated": false,
      "requestsSent": 0,
      "responsesReceived": 0,
      "currentRtt": null,
      "bytesSent": 0,
      "bytesReceived": 0
    },
    {
      "id": "CPQ8rwhbaB_9agFIsA+",
      "localId": "IQ8rwhbaB",
      "remoteId": "I9agFIsA+",
      "state": "waiting",
      "nominated": false,
      "requestsSent": 0,
      "responsesReceived": 0,
      "currentRtt": null,
      "bytesSent": 0,
      "bytesReceived": 0
    }
  ],
  "iceServers": [
    {
      "urls": [
        "stun:10.200.238.1:3478"
      ]
    },
    {
      "urls": [
        "turn:10.200.238.1:3478?transport=udp",
        "turn:10.200.238.1:3478?transport=tcp"
      ]
    }
  ],
  "errors": [],
  "iceEvents": [
    {
      "at": 260,
      "kind": "gathering",
      "state": "gathering"
    },
    {
      "at": 504,
      "kind": "ice",
      "state": "checking"
    },
    {
      "at": 594,
      "kind": "ice",
      "state": "connected"
    },
    {
      "at": 636,
      "kind": "channel-open",
      "label": "p2pcheck"
    },
    {
      "at": 664,
      "kind": "connection",
      "state": "connecting"
    },
    {
      "at": 667,
      "kind": "gathering",
      "state": "complete"
    },
    {
      "at": 700,
      "kind": "connection",
      "state": "connected"
    },
    {
      "at": 759,
      "kind": "pair",
      "pairId": "CPQ8rwhbaB_4ZJ3T2CF",
      "local": "host 10.200.238.1:55892",
      "remote": "relay 10.200.238.1:58409",
      "state": "waiting",
      "from": null
    },
    {
      "at": 759,
      "kind": "pair",
      "pairId": "CPQ8rwhbaB_aOQsP4p1",
      "local": "host 10.200.238.1:55892",
      "remote": "host 10.200.238.1:33153",
      "state": "succeeded",
      "from": null
    },
    {
      "at": 759,
      "kind": "dtls",
      "state": "connected"
    },
    {
      "at": 1155,
      "kind": "pair",
      "pairId": "CPQ8rwhbaB_9agFIsA+",
      "local": "host 10.200.238.1:55892",
      "remote": "relay 10.200.238.1:57056",
      "state": "waiting",
      "from": null
    }
  ],
  "selectedPairHistory": [
    {
      "at": 759,
      "localType": "host",
      "remoteType": "host",
      "local": "10.200.238.1:55892",
      "remote": "10.200.238.1:33153",
      "path": "direct-lan"
    }
  ]
};
