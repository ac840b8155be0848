#!/bin/sh
# Makes the small video, audio and WebP fixtures of the media probe and checker tests, with ffmpeg
# from the system packages (apt-get install -y ffmpeg). Flat colours and low bit rates keep every
# file tiny; resolution is only high where resolution is what a test checks. Images other than WebP
# are generated in the tests with ImageIO. Run from this directory: sh make-fixtures.sh
set -eu
cd "$(dirname "$0")"
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }

# video: name size fps seconds container
video() {
  ff -f lavfi -i "color=c=0x3366cc:s=$2:r=$3:d=$4" -c:v libx264 -preset veryfast -crf 45 -pix_fmt yuv420p \
     -g 48 -movflags +faststart "$1"
}
video video-640x640-24fps-2s.mp4    640x640   24 2
video video-640x640-24fps-16s.mp4   640x640   24 16
video video-640x640-23fps-2s.mp4    640x640   23 2
video video-640x640-24fps-1s.mp4    640x640   24 1
video video-320x240-30fps-2s.mp4    320x240   30 2
video video-1920x1080-60fps-2s.mp4  1920x1080 60 2
video video-1920x1088-30fps-2s.mp4  1920x1088 30 2
# a QuickTime file (brand "qt  ") of exactly 15 s with a mono AAC track beside the video
ff -f lavfi -i "color=c=0xcc6633:s=640x640:r=25:d=15" -f lavfi -i "sine=frequency=440:sample_rate=8000:duration=15" \
   -c:v libx264 -preset veryfast -crf 45 -pix_fmt yuv420p -c:a aac -b:a 16k -ac 1 -shortest -f mov video-640x640-25fps-15s.mov

# audio: 8 kHz tones
ff -f lavfi -i "sine=frequency=440:sample_rate=8000:duration=2"  -c:a pcm_s16le -ac 1 audio-2s.wav
ff -f lavfi -i "sine=frequency=440:sample_rate=8000:duration=16" -c:a pcm_u8    -ac 1 audio-16s.wav
ff -f lavfi -i "sine=frequency=440:sample_rate=8000:duration=15" -c:a libmp3lame -b:a 8k -ac 1 audio-15s.mp3
ff -f lavfi -i "sine=frequency=440:sample_rate=8000:duration=16" -c:a libmp3lame -b:a 8k -ac 1 audio-16s.mp3
ff -f lavfi -i "sine=frequency=440:sample_rate=22050:duration=3" -c:a libmp3lame -b:a 32k -ac 2 audio-3s-stereo.mp3

# WebP (ImageIO writes none)
ff -f lavfi -i "color=c=0x33aa55:s=400x300:d=1" -frames:v 1 -c:v libwebp -lossless 1 image-400x300.webp
ff -f lavfi -i "color=c=0x33aa55:s=200x300:d=1" -frames:v 1 -c:v libwebp -quality 50 image-200x300-lossy.webp
# with alpha: the extended (VP8X) layout
ff -f lavfi -i "color=c=0x33aa5580:s=1000x400:d=1,format=yuva420p" -frames:v 1 -c:v libwebp -quality 50 image-1000x400-alpha.webp

ls -l
