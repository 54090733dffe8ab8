#!/bin/sh
# render.sh <out_dir> <name> <text>: writes <out_dir>/8000/<name>.wav and
# <out_dir>/16000/<name>.wav (16-bit mono). Text through espeak-ng; "tone:F:S"
# is a sine of F Hz for S seconds from sox (with 5 ms fades, no clicks).
set -eu
out=$1 name=$2 text=$3
tmp="$out/.tmp.$name.wav"
mkdir -p "$out/8000" "$out/16000"
case "$text" in
  tone:*)
    freq=$(echo "$text" | cut -d: -f2) secs=$(echo "$text" | cut -d: -f3)
    sox -n -r 16000 -b 16 -c 1 "$tmp" synth "$secs" sine "$freq" vol -6dB fade 0.005 "$secs" 0.005 ;;
  *)
    espeak-ng -v en-us -s 150 -w "$tmp" "$text" ;;
esac
sox "$tmp" -r 8000 -b 16 -c 1 "$out/8000/$name.wav"
sox "$tmp" -r 16000 -b 16 -c 1 "$out/16000/$name.wav"
rm -f "$tmp"
