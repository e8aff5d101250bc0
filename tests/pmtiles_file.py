"""A small PMTiles (v3) file of raster tiles for the tests of the map's base layer, written
here by the specification (header, one directory entry, no compression) rather than with a
package: every tile of zooms 0 to 15 is the same beige PNG with a darker edge, so that a map
drawn over it shows the tiles' grid."""

import io
import json
import struct

from PIL import Image, ImageDraw

MAX_ZOOM = 15


def tile_png():
    image = Image.new("RGB", (256, 256), (236, 231, 216))
    ImageDraw.Draw(image).rectangle([0, 0, 255, 255], outline=(190, 178, 150), width=2)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def varint(number):
    out = bytearray()
    while True:
        byte, number = number & 0x7F, number >> 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def position(longitude, latitude):
    return struct.pack("<ii", round(longitude * 10_000_000), round(latitude * 10_000_000))


def write_pmtiles(path):
    """Write the file at `path`; returns `path`."""
    tile = tile_png()
    tiles = (4 ** (MAX_ZOOM + 1) - 1) // 3  # zooms 0..MAX_ZOOM, one run from tile id 0
    # One entry: tile id 0, run length, length, offset (written as offset + 1).
    directory = varint(1) + varint(0) + varint(tiles) + varint(len(tile)) + varint(1)
    metadata = json.dumps({"name": "test"}).encode()
    root = 127
    meta = root + len(directory)
    data = meta + len(metadata)
    header = b"PMTiles" + bytes([3])
    header += struct.pack(
        "<11Q",
        root,
        len(directory),
        meta,
        len(metadata),
        data,  # leaf directories: none
        0,
        data,
        len(tile),
        tiles,
        1,
        1,
    )
    # clustered, internal compression none, tile compression none, PNG, zooms
    header += bytes([1, 1, 1, 2, 0, MAX_ZOOM])
    header += position(-180, -85) + position(180, 85) + bytes([12]) + position(113.24, 35.24)
    assert len(header) == 127
    path.write_bytes(header + directory + metadata + tile)
    return path
