#!/bin/sh
# usage: tshark-oracle.sh FILE.record -> tab-separated decoded PPP fields, one frame a line, with a
# header line; several values of one field are joined with ';'. Exit 2: unreadable or corrupt file.
# A bad FCS still exits 0: check the ppp.fcs.status column (1 good, 0 bad).
# frame.p2p_dir: 0 is what the recording side sent, 1 what it received.
exec tshark -X 'read_format:pppd log (pppdump format)' -o ppp.fcs_type:16-Bit -r "$1" \
  -T fields -E header=y -E separator=/t -E occurrence=a -E aggregator=';' \
  -e frame.number -e frame.time_epoch -e frame.p2p_dir -e ppp.protocol -e ppp.fcs.status \
  -e ppp.code -e ppp.identifier \
  -e pap.code -e pap.identifier -e chap.code -e chap.identifier \
  -e lcp.opt.type -e lcp.opt.mru -e lcp.opt.magic_number -e lcp.opt.asyncmap -e lcp.opt.auth_protocol \
  -e lcp.magic_number -e lcp.rej_proto \
  -e ipcp.opt.type -e ipcp.opt.ip_address -e ipcp.opt.pri_dns_address -e ipcp.opt.sec_dns_address \
  -e ipv6cp.interface_identifier \
  -e pap.peer_id -e chap.name -e ip.src -e ip.dst -e icmp.type -e ipv6.src -e ipv6.dst -e icmpv6.type \
  -e _ws.expert.message 2>/dev/null
