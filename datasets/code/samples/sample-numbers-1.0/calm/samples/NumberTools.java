package calm.samples;

import java.util.List;

/** Small helpers on numbers and lists, written for the code experiment's tests. */
public final class NumberTools {

    private NumberTools() {}

    /**
     * Returns the largest of the values.
     *
     * @throws IllegalArgumentException if there is none
     */
    public static int max(int... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        int max = values[0];
        for (int value : values) {
            max = Math.max(max, value);
        }
        return max;
    }

    /**
     * Returns the sum of the values.
     */
    public static long sum(int... values) {
        long sum = 0;
        for (int value : values) {
            sum += value;
        }
        return sum;
    }

    /**
     * Returns the mean of the values, or {@code NaN} for none.
     */
    public static double mean(int... values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        return (double) sum(values) / values.length;
    }

    /**
     * Clamps a value to the range from low to high.
     */
    public static int clamp(int value, int low, int high) {
        if (value < low) {
            return low;
        }
        return Math.min(value, high);
    }

    /**
     * Parses a decimal integer, or returns the fallback when the text is not one.
     */
    public static int parseOr(String text, int fallback) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /**
     * Tells whether a number is prime.
     */
    public static boolean isPrime(int n) {
        if (n < 2) {
            return false;
        }
        for (int d = 2; (long) d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the greatest common divisor of two numbers.
     */
    public static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return Math.abs(a);
    }

    /**
     * Returns the first element of the list, or the fallback when it is empty.
     */
    public static <T> T firstOr(List<T> list, T fallback) {
        if (list.isEmpty()) {
            return fallback;
        }
        return list.get(0);
    }

    /**
     * Counts the elements of the list that are null.
     */
    public static int countNulls(List<?> list) {
        int count = 0;
        for (Object element : list) {
            if (element == null) {
                count++;
            }
        }
        return count;
    }

    /**
     * Returns the factorial of n, for n from 0 to 20.
     */
    public static long factorial(int n) {
        long result = 1;
        for (int i = 2; i <= n; i++) {
            result *= i;
        }
        return result;
    }

    /**
     * Tells whether the number is even.
     */
    public static boolean isEven(int n) {
        return n % 2 == 0;
    }

    /**
     * Returns the absolute difference of two numbers.
     */
    public static int distance(int a, int b) {
        int d = a - b;
        return d < 0 ? -d : d;
    }
}
