"""The peer hypervisor: Debian's Xen 4.17 for arm64, downloaded with a
private apt state (the host's dpkg architectures and apt lists are not
touched), and the QEMU command and arguments that boot it with dom0."""
import os
import shlex
import shutil
import subprocess

from bench import common
from bench.common import GUEST_MEM, HOST_MEM, qemu

XEN_PKG = "xen-hypervisor-4.17-arm64"
XEN_KERNEL_ADDR = 0x60000000


def apt_state(st):
    """A private apt configuration under st; returns apt-get's options."""
    for d in ("lists/partial", "cache/archives/partial", "sources.list.d", "debs"):
        os.makedirs(os.path.join(st, d), exist_ok=True)
    keyring = "/usr/share/keyrings/debian-archive-keyring.gpg"
    if not os.path.exists(keyring):
        return None, keyring + " missing"
    mirror = os.environ.get("DEBIAN_MIRROR", "http://deb.debian.org/debian")
    sec = os.environ.get("DEBIAN_SECURITY_MIRROR", "http://deb.debian.org/debian-security")
    with open(os.path.join(st, "sources.list"), "w") as f:
        f.write("deb [arch=arm64 signed-by=%s] %s bookworm main\n" % (keyring, mirror))
        f.write("deb [arch=arm64 signed-by=%s] %s bookworm-updates main\n" % (keyring, mirror))
        f.write("deb [arch=arm64 signed-by=%s] %s bookworm-security main\n" % (keyring, sec))
    with open(os.path.join(st, "apt.conf"), "w") as f:
        f.write("#clear APT::Update::Post-Invoke-Success;\n#clear APT::Update::Post-Invoke;\n"
                "#clear DPkg::Post-Invoke;\n")
    opts = ["-c", os.path.join(st, "apt.conf"),
            "-o", "APT::Architecture=arm64", "-o", "APT::Architectures=arm64",
            "-o", "Dir::State::Lists=" + os.path.join(st, "lists"),
            "-o", "Dir::Cache=" + os.path.join(st, "cache"),
            "-o", "Dir::Cache::pkgcache=", "-o", "Dir::Cache::srcpkgcache=",
            "-o", "Dir::Etc::SourceList=" + os.path.join(st, "sources.list"),
            "-o", "Dir::Etc::SourceParts=" + os.path.join(st, "sources.list.d"),
            "-o", "Acquire::Languages=none"]
    if os.geteuid() == 0:
        opts += ["-o", "APT::Sandbox::User=root"]
    return opts, None


def download(opts, debs):
    """The .deb of XEN_PKG in debs, downloaded unless one is there."""
    have = [d for d in os.listdir(debs) if d.startswith(XEN_PKG + "_")]
    if not have:
        p = subprocess.run(["apt-get"] + opts + ["-q", "update"], capture_output=True,
                           text=True, timeout=300)
        if p.returncode:
            return None, "apt-get update failed (%s)" % p.stderr.strip()[-200:]
        p = subprocess.run(["apt-get"] + opts + ["-q", "download", XEN_PKG], cwd=debs,
                           capture_output=True, text=True, timeout=300)
        if p.returncode:
            return None, "apt-get download %s failed (%s)" % (XEN_PKG, p.stderr.strip()[-200:])
        have = [d for d in os.listdir(debs) if d.startswith(XEN_PKG + "_")]
    if not have:
        return None, "no %s .deb after download" % XEN_PKG
    return os.path.join(debs, sorted(have)[-1]), None


def extract(deb, xdir, xen, ver):
    tmp = os.path.join(xdir, "extract")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    p = subprocess.run("dpkg-deb --fsys-tarfile %s | tar -x -C %s ./boot" %
                       (shlex.quote(deb), shlex.quote(tmp)), shell=True,
                       capture_output=True, text=True, timeout=120)
    src = os.path.join(tmp, "boot", "xen-4.17-arm64")
    if p.returncode or not os.path.exists(src):
        return None, "cannot extract boot/xen-4.17-arm64 from %s" % deb
    version = subprocess.run(["dpkg-deb", "-f", deb, "Version"], capture_output=True,
                             text=True).stdout.strip()
    shutil.copy(src, xen)
    shutil.rmtree(tmp, ignore_errors=True)
    with open(ver, "w") as f:
        f.write("%s %s\n" % (XEN_PKG, version))
    return "%s %s" % (XEN_PKG, version), None


def xen_fetch():
    """Returns (path of the Xen image, its version, error)."""
    xdir = os.path.abspath(os.path.join(common.OUT, "xen"))
    xen = os.path.join(xdir, "xen-4.17-arm64")
    ver = os.path.join(xdir, "VERSION")
    if os.path.exists(xen) and os.path.exists(ver):
        return xen, open(ver).read().strip(), None
    st = os.path.join(xdir, "apt")
    opts, err = apt_state(st)
    if err:
        return None, None, err
    try:
        deb, err = download(opts, os.path.join(st, "debs"))
        if err:
            return None, None, err
        version, err = extract(deb, xdir, xen, ver)
        if err:
            return None, None, err
        return xen, version, None
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, None, "download failed (%s)" % e


def xen_cmd(xen, dtb, kernel, initrd, raddr, smp):
    extra = ["-device", "loader,file=%s,addr=0x%x,force-raw=on" % (kernel, XEN_KERNEL_ADDR),
             "-device", "loader,file=%s,addr=0x%x,force-raw=on" % (initrd, raddr)]
    return qemu.qemu_cmd(xen, smp=smp, mem=HOST_MEM, dtb=dtb, extra=extra, icount=True)


def xen_args(smp, scrub):
    a = "console=dtuart dtuart=/pl011@9000000 dom0_mem=%dM,max:%dM dom0_max_vcpus=%d" % (
        GUEST_MEM, GUEST_MEM, smp)
    return a + ("" if scrub else " bootscrub=0")
