#!/bin/sh
# The local stack's sample media (served at /samples/, see SampleMedia), made with ffmpeg from the
# system packages (apt-get install -y ffmpeg), the same way as the functions' test fixtures
# (functions/src/test/resources/media/make-fixtures.sh). Images are generated at start with ImageIO.
# Run from this directory: sh make-samples.sh
set -eu
cd "$(dirname "$0")"
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
ff -f lavfi -i "color=c=0x3366cc:s=640x640:r=24:d=2" -c:v libx264 -preset veryfast -crf 45 -pix_fmt yuv420p \
   -g 48 -movflags +faststart clip.mp4
ff -f lavfi -i "color=c=0xcc6633:s=640x640:r=25:d=3" -c:v libx264 -preset veryfast -crf 45 -pix_fmt yuv420p \
   -g 48 -f mov clip.mov
ff -f lavfi -i "sine=frequency=440:sample_rate=8000:duration=2" -c:a pcm_s16le -ac 1 voice.wav
ff -f lavfi -i "sine=frequency=440:sample_rate=22050:duration=3" -c:a libmp3lame -b:a 32k -ac 2 voice.mp3
# WebP (ImageIO writes none)
ff -f lavfi -i "color=c=0x33aa55:s=400x300:d=1" -frames:v 1 -c:v libwebp -lossless 1 still.webp
ls -l
