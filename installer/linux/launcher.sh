#!/bin/bash
# Glance's launcher on Linux, installed as bin/Glance by installer/build.sh in place of jpackage's, which asks
# rpm and dpkg which package owns it, twice on every start (0.6-0.8 s before the JVM starts). This one reads
# the same lib/app/Glance.cfg (class path, main class, java-options with $APPDIR) and execs the bundled runtime.
# Class-data sharing for the app's own classes: the first start of the window records the classes it loads
# into an archive in the user's cache folder (written when it exits); later starts map it.
launcher=$(readlink -f "$0")
app_root=${launcher%/bin/*}
app_dir=$app_root/lib/app
name=${launcher##*/}
options=()
classpath=
main_class=
version=
while IFS= read -r line || [ -n "$line" ]; do
    value=${line#*=}
    value=${value//\$APPDIR/$app_dir}
    case $line in
        java-options=-Djpackage.app-version=*) version=${value#*=}; options+=("$value") ;;
        java-options=*) options+=("$value") ;;
        app.classpath=*) classpath=${classpath:+$classpath:}$value ;;
        app.mainclass=*) main_class=$value ;;
    esac
done < "$app_dir/$name.cfg"
cache=${XDG_CACHE_HOME:-$HOME/.cache}/glance
archive=$cache/$name-$version-$(stat -c %Y "$app_dir/glance.jar").jsa
if [ -f "$archive" ]; then
    options+=("-XX:SharedArchiveFile=$archive")
elif [ $# -eq 0 ] && mkdir -p "$cache" 2>/dev/null; then
    options+=("-XX:ArchiveClassesAtExit=$archive")
fi
# JVM log messages go to stderr (stdout carries the CLI's answers), errors only: recording the archive warns
# about every class it cannot hold (picocli's are Java 5 class files).
exec "$app_root/lib/runtime/bin/java" -Xlog:disable -Xlog:all=error:stderr "${options[@]}" \
    -cp "$classpath" "$main_class" "$@"
