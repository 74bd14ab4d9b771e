// SPDX-License-Identifier: GPL-2.0
/*
 * criu_img.c - the two facts vpidctl reads or writes in criu's images
 * (protobuf entries after one or two magic words, each entry a 32-bit
 * length and its message; the .proto files in criu/images):
 *
 * - the root's pid, first field of the first entry of pstree.img;
 * - whether the tree is a pid namespace's: criu restores a tree whose root
 *   is pid 1 only "in a new pid namespace", i.e. when the root's pid
 *   namespace differs from criu's own at dump time (inventory.img,
 *   root_ids.pid_ns_id).  A container's init dumped from inside its
 *   container is in criu's pid namespace (the container's base): vpidctl
 *   checkpoint marks its images as a pid namespace's, which is what a
 *   container is, so that criu restores the init as a namespace's init.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vpidctl.h"

#define IMG_COMMON_MAGIC	0x54564319
#define IMG_SERVICE_MAGIC	0x55105940
#define IMG_MAX			(1 << 20)

#define INVENTORY_ROOT_IDS	3	/* inventory_entry.root_ids */
#define KOBJ_IDS_PID_NS		5	/* task_kobj_ids_entry.pid_ns_id */
#define PSTREE_PID		1	/* pstree_entry.pid */

/**
 * struct img - an image file read whole
 * @buf: its bytes
 * @len: how many
 * @msg: offset of the first entry's message
 * @msg_len: its length
 */
struct img {
	unsigned char buf[IMG_MAX];
	size_t len;
	size_t msg;
	size_t msg_len;
};

static int img_read(const char *dir, const char *name, struct img *im)
{
	char path[4096];
	uint32_t word, size;
	size_t off = 4;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, im->buf, sizeof(im->buf));
	close(fd);
	if (n < 0)
		return -errno;
	im->len = n;
	if (im->len < 12)
		return -EINVAL;
	memcpy(&word, im->buf, 4);
	if (word == IMG_COMMON_MAGIC || word == IMG_SERVICE_MAGIC)
		off = 8;
	memcpy(&size, im->buf + off, 4);
	if (off + 4 + (size_t)size > im->len)
		return -EINVAL;
	im->msg = off + 4;
	im->msg_len = size;
	return 0;
}

/* A varint at @p (up to @end): its value and length, 0 when malformed. */
static size_t varint(const unsigned char *p, const unsigned char *end,
		     uint64_t *val)
{
	size_t i;

	*val = 0;
	for (i = 0; p + i < end && i < 10; i++) {
		*val |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80))
			return i + 1;
	}
	return 0;
}

/*
 * Field @field of the message [@p, @end): where its value starts, and for
 * a varint its length, for a length-delimited field its payload's.
 */
static const unsigned char *pb_find(const unsigned char *p,
				    const unsigned char *end,
				    unsigned int field, size_t *len)
{
	uint64_t key, v;
	size_t n;

	while (p < end) {
		n = varint(p, end, &key);
		if (!n)
			return NULL;
		p += n;
		switch (key & 7) {
		case 0:
			n = varint(p, end, &v);
			if (!n)
				return NULL;
			if (key >> 3 == field) {
				*len = n;
				return p;
			}
			p += n;
			break;
		case 1:
			p += 8;
			break;
		case 2:
			n = varint(p, end, &v);
			if (!n || v > (uint64_t)(end - p - n))
				return NULL;
			if (key >> 3 == field) {
				*len = v;
				return p + n;
			}
			p += n + v;
			break;
		case 5:
			p += 4;
			break;
		default:
			return NULL;
		}
	}
	return NULL;
}

/**
 * criu_img_root_pid() - the pid of the root of the tree dumped in @dir
 * @dir: criu's images directory
 * @pid: set to it
 *
 * Return: 0 or a -errno (-EINVAL: not an image criu wrote).
 */
int criu_img_root_pid(const char *dir, long *pid)
{
	struct img *im = malloc(sizeof(*im));
	const unsigned char *p;
	uint64_t v;
	size_t len;
	int err;

	if (!im)
		return -ENOMEM;
	err = img_read(dir, "pstree.img", im);
	if (!err) {
		p = pb_find(im->buf + im->msg, im->buf + im->msg + im->msg_len,
			    PSTREE_PID, &len);
		err = p && varint(p, p + len, &v) ? 0 : -EINVAL;
		*pid = err ? 0 : (long)v;
	}
	free(im);
	return err;
}

/**
 * criu_img_mark_pidns() - record in @dir that the dumped tree's root was
 * in a pid namespace of its own (criu's root_ids.pid_ns_id takes another
 * value of the same length, so that no length around it changes)
 * @dir: criu's images directory
 *
 * Return: 0 or a -errno.
 */
int criu_img_mark_pidns(const char *dir)
{
	struct img *im = malloc(sizeof(*im));
	unsigned char *ids, *p;
	char path[4096];
	size_t len, i;
	ssize_t n;
	int fd, err;

	if (!im)
		return -ENOMEM;
	err = img_read(dir, "inventory.img", im);
	if (err)
		goto out;
	err = -EINVAL;
	ids = (unsigned char *)pb_find(im->buf + im->msg,
				       im->buf + im->msg + im->msg_len,
				       INVENTORY_ROOT_IDS, &len);
	if (!ids)
		goto out;
	p = (unsigned char *)pb_find(ids, ids + len, KOBJ_IDS_PID_NS, &len);
	if (!p)
		goto out;
	/* another value of that length: its last byte differs */
	for (i = 0; i + 1 < len; i++)
		p[i] = 0xff;
	p[len - 1] = p[len - 1] == 0x7f ? 0x7e : 0x7f;
	snprintf(path, sizeof(path), "%s/inventory.img", dir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	n = pwrite(fd, im->buf, im->len, 0);
	err = n == (ssize_t)im->len ? 0 : n < 0 ? -errno : -EIO;
	if (close(fd) && !err)
		err = -errno;
out:
	free(im);
	return err;
}
