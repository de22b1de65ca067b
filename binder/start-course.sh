#!/usr/bin/env bash
# Runs when a user's server starts (the Dockerfile puts it in /usr/local/bin/before-notebook.d/).
# On JupyterHub the home folder is the user's own volume, mounted over the image's /home/jovyan: copy
# the course notebooks there once (never over a student's work), and link ~/node_modules to the
# course's, so that `import * as xai from 'tslab-xai'` resolves from any notebook under the home folder.
COURSE=/opt/tslab-xai
mkdir -p "$HOME/tslab-xai-course"
cp -rn "$COURSE/notebooks/." "$HOME/tslab-xai-course/" 2>/dev/null || true
rm -rf "$HOME/tslab-xai-course/.out" "$HOME/tslab-xai-course/homework/solutions"
[ -e "$HOME/node_modules" ] || ln -s "$COURSE/node_modules" "$HOME/node_modules"
