package io.calsync.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A stopwatch at the JDBC calls, for the diagnostic round after the measured ones: a DataSource whose connections
 * and statements are proxies that add up, per SQL text, the time of each execute call (the statement sent, run by
 * the server, its answer read) and of each commit. Everything else goes straight to pgjdbc. The transaction manager,
 * the JdbcTemplates and the raw batches all take the wrapped DataSource, so a transaction still holds one connection.
 */
final class SqlTimer {

    /** Seconds and calls of one SQL text. */
    record Entry(String sql, double seconds, int calls) {}

    private static final Set<String> EXECUTES = Set.of(
            "execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "executeBatch", "executeLargeBatch");

    private final Map<String, double[]> totals = new LinkedHashMap<>();

    DataSource wrap(DataSource target) {
        return proxy(DataSource.class, target, (p, m, args) -> {
            Object result = invoke(target, m, args);
            return result instanceof Connection c ? connection(c) : result;
        });
    }

    /** What was recorded since the last call, slowest first; starts over. */
    List<Entry> drain() {
        List<Entry> out = new ArrayList<>();
        totals.forEach((sql, t) -> out.add(new Entry(sql, t[0] / 1e9, (int) t[1])));
        totals.clear();
        out.sort(Comparator.comparingDouble(Entry::seconds).reversed());
        return out;
    }

    private Connection connection(Connection target) {
        return proxy(Connection.class, target, (p, m, args) -> {
            if (m.getName().equals("commit")) {
                return timed("COMMIT", target, m, args);
            }
            Object result = invoke(target, m, args);
            if (result instanceof Statement s && !(result instanceof java.sql.CallableStatement)) {
                String sql =
                        m.getName().startsWith("prepare") && args != null && args[0] instanceof String q ? q : null;
                return statement(s, sql);
            }
            return result;
        });
    }

    private Statement statement(Statement target, String preparedSql) {
        Class<?> type =
                target instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class : Statement.class;
        return (Statement) proxy(type, target, (p, m, args) -> {
            if (EXECUTES.contains(m.getName())) {
                String sql = args != null && args.length > 0 && args[0] instanceof String q ? q : preparedSql;
                return timed(sql == null ? "?" : sql, target, m, args);
            }
            return invoke(target, m, args);
        });
    }

    private Object timed(String sql, Object target, Method m, Object[] args) throws Throwable {
        long t0 = System.nanoTime();
        try {
            return invoke(target, m, args);
        } finally {
            double[] t = totals.computeIfAbsent(key(sql), k -> new double[2]);
            t[0] += System.nanoTime() - t0;
            t[1]++;
        }
    }

    /** The SQL on one line, cut to a length a report line can hold. */
    private static String key(String sql) {
        String flat = sql.strip().replaceAll("\\s+", " ");
        return flat.length() > 110 ? flat.substring(0, 107) + "..." : flat;
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Object target, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(SqlTimer.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
