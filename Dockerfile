# One image with Jupyter, Node, the tslab-xai kernel and the course, for JupyterHub (Zero to JupyterHub:
# singleuser.image) and Binder (which uses a Dockerfile at the repository root when there is one).
#   docker build -t tslab-xai-course .
#   docker run -p 8888:8888 tslab-xai-course      # then open the printed URL
# The same steps without Docker: binder/environment.yml + binder/postBuild (repo2docker).
FROM quay.io/jupyter/base-notebook:python-3.11

# Node ≥ 20.19 and the runner's nbclient/nbconvert from conda-forge, into the image's Python environment
RUN mamba install --yes -c conda-forge 'nodejs>=20.19,<23' nbclient nbconvert && mamba clean --all -f -y

# The course lives outside /home/jovyan, which JupyterHub mounts each user's volume over
USER root
COPY --chown=${NB_UID}:${NB_GID} . /opt/tslab-xai
COPY binder/start-course.sh /usr/local/bin/before-notebook.d/10-tslab-xai-course.sh
RUN chmod +x /usr/local/bin/before-notebook.d/10-tslab-xai-course.sh
USER ${NB_UID}
WORKDIR /opt/tslab-xai
# npm ci, the kernelspec into /opt/conda/share/jupyter/kernels, the course CNN trained once
RUN TSLAB_XAI_KERNEL_PREFIX=/opt/conda bash binder/postBuild && rm -rf notebooks/homework/solutions
ENV XAI_DATA_DIR=/opt/tslab-xai/data/generated
WORKDIR /home/${NB_USER}
