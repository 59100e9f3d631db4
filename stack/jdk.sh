# Sourced by ./mvnw and ./kairos: points JAVA_HOME at a JDK >= 21 (Keycloak 26 and the
# services' Java 21 bytecode need one). JAVA_HOME wins if it is one; else the usual
# install folders are searched, newest first.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}
kairos_find_jdk() {
  local candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major="$(java_major "$JAVA_HOME")"
    if [ "${major:-0}" -ge 21 ]; then export PATH="$JAVA_HOME/bin:$PATH"; return 0; fi
  fi
  for candidate in $(ls -d /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/jdk* \
      "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home 2>/dev/null | sort -rV); do
    [ -x "$candidate/bin/javac" ] || continue
    major="$(java_major "$candidate")"
    if [ "${major:-0}" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "kairos: no JDK 21 or newer found. Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+)" >&2
  echo "        and set JAVA_HOME to it; searched JAVA_HOME, /usr/lib/jvm, /opt/java, ~/.sdkman, ~/.jdks." >&2
  return 1
}
