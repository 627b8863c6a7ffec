// Boost.JSON compiled into the fuzz targets with their standard library (libc++).
#include <boost/json/src.hpp>
