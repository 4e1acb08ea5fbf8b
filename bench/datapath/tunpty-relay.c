/*
 * tunpty-relay: the data-path benchmark's baseline without PPP. Relays IP packets between a TUN
 * interface and a pty, with no framing beyond a 2-byte big-endian length in front of each packet
 * (a pty is a byte stream: without it, packets merge and split). One process per end:
 *
 *   tunpty-relay IFNAME PTY-PATH
 *
 * creates the TUN interface IFNAME (no packet info header), puts the pty in raw mode and relays until
 * either side fails. Reads from the TUN only while the pty's pending output has room for one more
 * packet, so it buffers at most OUT_CAP bytes; packets the TUN cannot take are dropped, as a kernel
 * interface would. Built and run by bench/datapath/run.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#define MAX_PACKET 65535
#define OUT_CAP (256 * 1024)
#define IN_CAP (256 * 1024)

static unsigned char out[OUT_CAP]; /* length-prefixed packets waiting for the pty */
static size_t out_start, out_end;
static unsigned char in[IN_CAP];   /* bytes read from the pty, not yet whole packets */
static size_t in_end;
static unsigned long long dropped;

static void die(const char *what)
{
    fprintf(stderr, "tunpty-relay: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int open_tun(const char *name)
{
    struct ifreq ifr;
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        die("open /dev/net/tun");
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0)
        die("TUNSETIFF");
    return fd;
}

static int open_pty(const char *path)
{
    struct termios tio;
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        die(path);
    if (tcgetattr(fd, &tio) < 0)
        die("tcgetattr");
    cfmakeraw(&tio);
    tio.c_cc[VMIN] = 1;
    tio.c_cc[VTIME] = 0;
    if (tcsetattr(fd, TCSANOW, &tio) < 0)
        die("tcsetattr");
    return fd;
}

/* Reads packets from the TUN while one more fits behind what the pty has not taken yet. */
static void tun_to_buffer(int tun)
{
    for (;;) {
        if (out_start > 0 && out_start == out_end)
            out_start = out_end = 0;
        if (OUT_CAP - out_end < MAX_PACKET + 2) {
            if (out_start == 0)
                return;
            memmove(out, out + out_start, out_end - out_start);
            out_end -= out_start;
            out_start = 0;
            if (OUT_CAP - out_end < MAX_PACKET + 2)
                return;
        }
        ssize_t n = read(tun, out + out_end + 2, MAX_PACKET);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return;
            die("read tun");
        }
        if (n == 0)
            continue;
        out[out_end] = (unsigned char)(n >> 8);
        out[out_end + 1] = (unsigned char)n;
        out_end += (size_t)n + 2;
    }
}

static void buffer_to_pty(int pty)
{
    while (out_start < out_end) {
        ssize_t n = write(pty, out + out_start, out_end - out_start);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return;
            die("write pty");
        }
        out_start += (size_t)n;
    }
}

/* Reads what the pty has and hands every whole packet to the TUN. */
static void pty_to_tun(int pty, int tun)
{
    ssize_t n = read(pty, in + in_end, IN_CAP - in_end);
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return;
        die("read pty");
    }
    if (n == 0) {
        fprintf(stderr, "tunpty-relay: pty closed\n");
        exit(1);
    }
    in_end += (size_t)n;
    size_t at = 0;
    while (in_end - at >= 2) {
        size_t len = ((size_t)in[at] << 8) | in[at + 1];
        if (in_end - at - 2 < len)
            break;
        if (len > 0 && write(tun, in + at + 2, len) < 0) {
            if (errno != EAGAIN && errno != EINTR && errno != EINVAL && errno != EIO)
                die("write tun");
            dropped++;
        }
        at += len + 2;
    }
    memmove(in, in + at, in_end - at);
    in_end -= at;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s IFNAME PTY-PATH\n", argv[0]);
        return 2;
    }
    int tun = open_tun(argv[1]);
    int pty = open_pty(argv[2]);
    for (;;) {
        struct pollfd fds[2] = {
            { .fd = tun, .events = (short)(OUT_CAP - (out_end - out_start) >= MAX_PACKET + 2 ? POLLIN : 0) },
            { .fd = pty, .events = (short)(POLLIN | (out_start < out_end ? POLLOUT : 0)) },
        };
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            die("poll");
        }
        if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL))
            die("tun closed");
        if (fds[1].revents & (POLLERR | POLLNVAL))
            die("pty failed");
        if (fds[0].revents & POLLIN) {
            tun_to_buffer(tun);
            buffer_to_pty(pty);
        }
        if (fds[1].revents & POLLOUT)
            buffer_to_pty(pty);
        if (fds[1].revents & (POLLIN | POLLHUP))
            pty_to_tun(pty, tun);
    }
}
