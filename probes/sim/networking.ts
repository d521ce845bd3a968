// Networking: the socket and TCP functions that socket system calls pass through.

/** Kernel functions a system call passes through, outermost first, with their arguments as
 *  the simulator models them (values are the syscall's resolved argument values). */
export interface KernelCall {
  func: string;
  args: bigint[];
  ret: bigint;
}

const TCP_SYN_SENT = 2n;

/** The kernel calls of a socket system call, or null when `name` is not one. `sock` is the
 *  struct sock of the call's first argument (a file descriptor). */
export function socketCalls(
  name: string,
  args: readonly bigint[],
  ret: bigint,
  sock: bigint,
  objectAddress: (kind: string, n: bigint) => bigint,
): KernelCall[] | null {
  const fd = args[0] ?? 0n;
  const calls: KernelCall[] = [];
  switch (name) {
    case 'sendto':
    case 'sendmsg':
      calls.push({
        func: 'sock_sendmsg',
        args: [objectAddress('socket', fd), objectAddress('msg', 0n)],
        ret,
      });
      calls.push({
        func: 'tcp_sendmsg',
        args: [sock, objectAddress('msg', 0n), args[2] ?? 0n],
        ret,
      });
      return calls;
    case 'sendfile64':
      calls.push({
        func: 'tcp_sendmsg',
        args: [objectAddress('sock', fd), objectAddress('msg', 0n), args[3] ?? 0n],
        ret,
      });
      return calls;
    case 'recvfrom':
    case 'recvmsg':
      calls.push({
        func: 'sock_recvmsg',
        args: [objectAddress('socket', fd), objectAddress('msg', 0n), args[3] ?? 0n],
        ret,
      });
      calls.push({
        func: 'tcp_recvmsg',
        args: [
          sock,
          objectAddress('msg', 0n),
          args[2] ?? 0n,
          args[3] ?? 0n,
          objectAddress('addrlen', 0n),
        ],
        ret,
      });
      return calls;
    case 'connect':
      calls.push({ func: 'tcp_v4_connect', args: [sock, args[1] ?? 0n, args[2] ?? 0n], ret });
      calls.push({ func: 'tcp_set_state', args: [sock, TCP_SYN_SENT], ret: 0n });
      calls.push({ func: 'tcp_connect', args: [sock], ret: 0n });
      return calls;
    case 'accept4':
      // The handshake completed in softirq before accept(); modelled here, on the listener.
      if (ret >= 0n)
        calls.push({
          func: 'tcp_v4_syn_recv_sock',
          args: [sock, objectAddress('skb', ret), objectAddress('request_sock', ret), 0n, 0n, 0n],
          ret: objectAddress('sock', ret),
        });
      calls.push({
        func: 'inet_csk_accept',
        args: [sock, args[3] ?? 0n, objectAddress('err', 0n), 0n],
        ret: ret >= 0n ? objectAddress('sock', ret) : 0n,
      });
      return calls;
    case 'epoll_wait':
      calls.push({
        func: 'do_epoll_wait',
        args: [fd, args[1] ?? 0n, args[2] ?? 0n, args[3] ?? 0n],
        ret,
      });
      calls.push({
        func: 'ep_poll',
        args: [objectAddress('ep', fd), args[1] ?? 0n, args[2] ?? 0n, objectAddress('timeout', 0n)],
        ret,
      });
      return calls;
    default:
      return null;
  }
}
